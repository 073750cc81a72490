package tpdiff4j.pyramid;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.schedule.StrictJson;

/**
 * The fields of a pyramid's JSON form ({@link TemporalPyramid#toJson()}), read strictly: standard JSON, every key
 * present with the right type, no unknown keys. Messages name the key, the value found (shortened) and what is
 * allowed; the values themselves are checked by the pyramid's builder.
 */
record PyramidJson(NoiseSchedule schedule, int frames, double[] boundaries, int[] rateFactors,
                   WindowConvention convention) {

    private static final Set<String> KEYS = new TreeSet<>(
            List.of("type", "version", "schedule", "frames", "boundaries", "rateFactors", "convention"));

    static PyramidJson parse(String json) {
        JsonObject o = StrictJson.parseObject(json, "pyramid JSON");
        tpdiff4j.schedule.DocumentKind.PYRAMID.require(o, "pyramid JSON");
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("pyramid JSON: unknown key = " + StrictJson.excerpt(k) + "; allowed keys: " + KEYS);
            }
        }
        JsonElement type = get(o, "type", "\"TemporalPyramid\"");
        if (!(type.isJsonPrimitive() && "TemporalPyramid".equals(type.getAsString()))) {
            throw new IllegalArgumentException("pyramid JSON: type = " + show(type) + "; allowed: \"TemporalPyramid\"");
        }
        int version = integer(o, "version", "1 (the version this reader supports)");
        if (version != 1) {
            throw new IllegalArgumentException("pyramid JSON: version = " + version + "; allowed: 1 (the version this reader supports)");
        }
        JsonElement s = get(o, "schedule", "a JSON object (a schedule's toJson())");
        if (!s.isJsonObject()) {
            throw new IllegalArgumentException("pyramid JSON: schedule = " + show(s) + "; allowed: a JSON object (a schedule's toJson())");
        }
        NoiseSchedule schedule = Schedules.fromJson(s.toString());
        JsonArray b = array(o, "boundaries", "an array of numbers: all K + 1 nominal boundaries in increasing t, from 0 to 1");
        double[] bounds = new double[b.size()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = number(b.get(i), "boundaries[" + i + "]");
        }
        JsonArray f = array(o, "rateFactors", "an array of numbers, integers >= 2, one per jump in sampling order ([] for one stage)");
        int[] rates = new int[f.size()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = toInt(f.get(i), "rateFactors[" + i + "]");
        }
        JsonElement c = get(o, "convention", "\"A\" or \"B\"");
        WindowConvention convention;
        if (c.isJsonPrimitive() && c.getAsJsonPrimitive().isString() && Set.of("A", "B").contains(c.getAsString())) {
            convention = WindowConvention.valueOf(c.getAsString());
        } else {
            throw new IllegalArgumentException("pyramid JSON: convention = " + show(c) + "; allowed: \"A\" or \"B\"");
        }
        return new PyramidJson(schedule, integer(o, "frames", "an integer >= 1 (the full-rate frame count)"), bounds,
                rates, convention);
    }

    /** The field {@code key}, present and not null ({@link StrictJson#field}); {@code allowed} is for messages. */
    private static JsonElement get(JsonObject o, String key, String allowed) {
        return StrictJson.field(o, key, "pyramid JSON", allowed);
    }

    private static JsonArray array(JsonObject o, String key, String allowed) {
        JsonElement e = get(o, key, allowed);
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("pyramid JSON: " + key + " = " + show(e) + "; allowed: " + allowed);
        }
        return e.getAsJsonArray();
    }

    private static int integer(JsonObject o, String key, String allowed) {
        return toInt(get(o, key, allowed), key);
    }

    private static double number(JsonElement e, String name) {
        if (!(e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber())) {
            throw new IllegalArgumentException("pyramid JSON: " + name + " = " + show(e) + "; allowed: a number");
        }
        return e.getAsDouble();
    }

    private static int toInt(JsonElement e, String name) {
        double d = number(e, name);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pyramid JSON: " + name + " = " + show(e) + "; allowed: an integer");
        }
        return (int) d;
    }

    private static String show(JsonElement e) {
        return StrictJson.excerpt(String.valueOf(e));
    }
}

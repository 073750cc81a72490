package tpdiff4j.schedule;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tpdiff4j.Refusals;

/**
 * JSON form of the built-in schedules: one object with {@code "type"}, {@code "version"} (currently 1) and the
 * constructor parameters. Reading is strict: unknown keys, missing keys, a wrong version or a non-numeric
 * value are errors that say what was found and what is allowed. The text must be standard JSON ({@link StrictJson}).
 */
final class ScheduleJson {

    /** The format version written and accepted. */
    static final int VERSION = 1;

    private ScheduleJson() {
    }

    static JsonObject header(String type) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("version", VERSION);
        return o;
    }

    /** Parses {@code json} into an object, checks its version, and returns it. */
    static JsonObject parse(String json) {
        Refusals.notNull(json, "json", "a JSON object such as {\"type\":\"flowMatching\",\"version\":1,\"shift\":1.0}");
        JsonElement e = StrictJson.parse(json, "schedule JSON");
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("schedule JSON " + StrictJson.excerpt(json)
                    + " is not a JSON object; allowed: an object with \"type\" and \"version\"");
        }
        JsonObject o = e.getAsJsonObject();
        DocumentKind.SCHEDULE.require(o, "schedule JSON");
        int version = integer(o, "version", type(o));
        if (version != VERSION) {
            throw new IllegalArgumentException("version = " + version + " is not supported; allowed: " + VERSION);
        }
        return o;
    }

    /** The {@code "type"} string of a schedule object. */
    static String type(JsonObject o) {
        JsonElement t = o.get("type");
        if (t == null) {
            throw new IllegalArgumentException("type is missing in schedule JSON; allowed: one of " + Schedules.JSON_TYPES);
        }
        if (!t.isJsonPrimitive() || !t.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("type = " + StrictJson.excerpt(t.toString()) + " in schedule JSON; allowed:"
                    + " one of " + Schedules.JSON_TYPES);
        }
        return t.getAsString();
    }

    /** Rejects keys other than type, version and {@code allowed}. */
    static void onlyKeys(JsonObject o, String type, String... allowed) {
        Set<String> ok = new TreeSet<>(List.of("type", "version"));
        ok.addAll(List.of(allowed));
        List<String> unknown = new ArrayList<>();
        for (String k : o.keySet()) {
            if (!ok.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s) = " + unknown + " in JSON of schedule type '" + type
                    + "'; allowed keys: " + ok);
        }
    }

    /** A required numeric value. */
    static double number(JsonObject o, String key, String type) {
        JsonElement v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing in JSON of schedule type '" + type + "'; allowed: a number");
        }
        if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isNumber()) {
            throw new IllegalArgumentException(key + " = " + StrictJson.excerpt(String.valueOf(v)) + " in JSON of schedule type '" + type + "'; allowed: a number");
        }
        return v.getAsDouble();
    }

    /** A required integer value. */
    static int integer(JsonObject o, String key, String type) {
        double d = number(o, key, type);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " = " + d + " in JSON of schedule type '" + type + "'; allowed: an integer");
        }
        return (int) d;
    }

    /** A required string value. */
    static String string(JsonObject o, String key, String type) {
        JsonElement v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing in JSON of schedule type '" + type + "'; allowed: a string");
        }
        if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isString()) {
            throw new IllegalArgumentException(key + " = " + StrictJson.excerpt(String.valueOf(v)) + " in JSON of schedule type '" + type + "'; allowed: a string");
        }
        return v.getAsString();
    }

    /** A required array of numbers. */
    static double[] numbers(JsonObject o, String key, String type) {
        JsonElement v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key + " is missing in JSON of schedule type '" + type + "'; allowed: an array of numbers");
        }
        if (!v.isJsonArray()) {
            throw new IllegalArgumentException(key + " = " + StrictJson.excerpt(String.valueOf(v)) + " in JSON of schedule type '" + type + "'; allowed: an array of numbers");
        }
        com.google.gson.JsonArray a = v.getAsJsonArray();
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            JsonElement e = a.get(i);
            if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
                throw new IllegalArgumentException(key + "[" + i + "] = " + StrictJson.excerpt(String.valueOf(e)) + " in JSON of schedule type '" + type + "'; allowed: a number");
            }
            r[i] = e.getAsDouble();
        }
        return r;
    }
}

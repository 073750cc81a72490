package tpdiff4j.train;

import com.google.gson.JsonObject;
import tpdiff4j.Refusals;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.pyramid.NoiseCoupling;

/**
 * The JSON record of a {@link NoiseCoupling} in training configurations, checkpoints and experiments:
 * {@code {"type": "none"}}, {@code {"type": "batchAligner", "cost": "L2" | "SQUARED_L2"}} or, for a user's own
 * coupling, {@code {"type": "custom", "name": toString()}} ("lambda" for a lambda and the class name for a class
 * that keeps {@link Object#toString()}, whose text changes from run to run; see {@link RecordedName}). A custom
 * coupling is compared by that name when a checkpoint is resumed, so give it a stable {@code toString} (a record has
 * one); it cannot be rebuilt from JSON.
 */
final class Couplings {

    private Couplings() {
    }

    static JsonObject toJson(NoiseCoupling c) {
        JsonObject o = new JsonObject();
        if (c == NoiseCoupling.NONE) {
            o.addProperty("type", "none");
        } else if (c instanceof BatchNoiseAligner a) {
            o.addProperty("type", "batchAligner");
            o.addProperty("cost", a.cost().name());
        } else {
            o.addProperty("type", "custom");
            o.addProperty("name", RecordedName.of(c));
        }
        return o;
    }

    static NoiseCoupling fromJson(JsonObject o, NoiseCoupling... own) {
        if (!(o.get("type") instanceof com.google.gson.JsonPrimitive t && t.isString())) {   // was a Gson error
            throw new IllegalArgumentException("coupling JSON " + tpdiff4j.schedule.StrictJson.excerpt(o.toString())
                    + ": field 'type' = " + (o.has("type") ? o.get("type") : "missing")
                    + "; allowed: \"none\", \"batchAligner\" or \"custom\", as TrainConfig.toJsonObject writes it");
        }
        String type = o.get("type").getAsString();
        return switch (type) {
            case "none" -> NoiseCoupling.NONE;
            case "batchAligner" -> BatchNoiseAligner.of(tpdiff4j.schedule.StrictJson.constant("coupling JSON",
                    BatchNoiseAligner.Cost.class, o.get("cost"), "cost"));
            case "custom" -> {
                java.util.List<String> given = new java.util.ArrayList<>();
                for (NoiseCoupling c : own == null ? new NoiseCoupling[0] : own) {
                    if (c != null && toJson(c).equals(o)) {
                        yield c;
                    }
                    given.add(c == null ? "null" : toJson(c).toString());
                }
                throw new IllegalArgumentException("coupling " + o + " is the user's own code and cannot be rebuilt"
                        + " from JSON; pass the same coupling object to the reader (TrainConfig.fromJsonObject(json,"
                        + " coupling), Experiment.fromJson(json, data, coupling), ExperimentResult.load(file, data,"
                        + " coupling)); given: " + given);
            }
            default -> throw Refusals.refuse("coupling type", type, "none, batchAligner, custom");
        };
    }

    /** Short name for tables and progress lines. */
    static String label(NoiseCoupling c) {
        JsonObject o = toJson(c);
        return switch (o.get("type").getAsString()) {
            case "none" -> "none";
            case "batchAligner" -> "aligned(" + o.get("cost").getAsString() + ")";
            default -> o.get("name").getAsString();
        };
    }
}

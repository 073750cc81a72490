package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checkpoint folder layout: {@code dir/step-000000123/} holds {@code config.json} (format, model, train config
 * with the full pyramid (a function schedule tabulated, see {@link TrainConfig}) and the noise coupling, data spec, optimizer counts, step = RNG state), {@code weights.bin},
 * {@code ema.bin} and {@code optimizer.bin} ({@link TensorFile}); {@code dir/latest} names the current step folder.
 *
 * <p>Atomicity: a step folder is written completely under a temporary name and renamed with
 * {@code ATOMIC_MOVE}; then {@code latest} is replaced the same way (temp file, atomic move); only then are older
 * step folders deleted. A crash at any point leaves {@code latest} naming a complete checkpoint.
 */
public final class Checkpoint {

    static final String FORMAT = "tpdiff4j-checkpoint";
    static final int VERSION = 1;

    private Checkpoint() {
    }

    static Path save(Trainer t, Path dir) throws IOException {
        Files.createDirectories(dir);
        String name = String.format("step-%09d", t.stepCount());
        Path tmp = Files.createTempDirectory(dir, ".tmp-" + name + "-");
        JsonObject cfg = describe(t);
        JsonObject opt = new JsonObject();
        opt.addProperty("name", "AdamW");
        opt.add("counts", new Gson().toJsonTree(t.optimizer().counts()));
        cfg.add("optimizer", opt);
        cfg.addProperty("step", t.stepCount());
        JsonObject rng = new JsonObject();
        rng.addProperty("seed", t.config().seed());
        rng.addProperty("step", t.stepCount());
        rng.addProperty("rule", "step n draws from SplittableRandom(splitmix64(seed, n))");
        cfg.add("rng", rng);
        Files.writeString(tmp.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(cfg), StandardCharsets.UTF_8);
        Map<String, float[]> weights = new LinkedHashMap<>();
        t.model().namedParameters().forEach((k, p) -> weights.put(k, p.getArray().toFloatArray()));
        writeTensors(tmp.resolve("weights.bin"), weights);
        writeTensors(tmp.resolve("ema.bin"), floats(t.ema().arrays()));
        writeTensors(tmp.resolve("optimizer.bin"), floats(t.optimizer().state()));
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            deleteTree(target);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Path latestTmp = Files.createTempFile(dir, ".latest-", ".tmp");
        Files.writeString(latestTmp, name, StandardCharsets.UTF_8);
        Files.move(latestTmp, dir.resolve("latest"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path old : s.filter(p -> p.getFileName().toString().startsWith("step-") && !p.equals(target)).toList()) {
                deleteTree(old);
            }
        }
        return target;
    }

    static void load(Trainer t, Path dir) throws IOException {
        Path folder = latest(dir);
        JsonObject saved = JsonParser.parseString(Files.readString(folder.resolve("config.json"))).getAsJsonObject();
        if (!saved.has("format") || !FORMAT.equals(saved.get("format").getAsString())) {
            throw new IllegalArgumentException("checkpoint " + folder + ": not a " + FORMAT + " folder");
        }
        JsonObject mine = describe(t);
        List<String> diffs = new ArrayList<>();
        for (String section : new String[] {"version", "model", "train", "data"}) {
            diff(section, saved.get(section), mine.get(section), diffs);
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + folder + " is incompatible with this trainer: "
                    + String.join("; ", diffs) + ". Build the trainer with the checkpoint's configuration "
                    + "(see its config.json) or start a new run in another folder.");
        }
        loadInto(readTensors(folder.resolve("weights.bin")), t.model().namedParameters(), "weights");
        Map<String, NDArray> ema = t.ema().arrays();
        Map<String, float[]> emaSaved = readTensors(folder.resolve("ema.bin"));
        for (Map.Entry<String, NDArray> e : ema.entrySet()) {
            float[] v = emaSaved.get(e.getKey());
            if (v == null || v.length != e.getValue().size()) {
                throw new IllegalArgumentException("checkpoint " + folder + ": EMA weight " + e.getKey() + " missing or of wrong size");
            }
            e.getValue().set(v);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        saved.getAsJsonObject("optimizer").getAsJsonObject("counts").entrySet()
                .forEach(e -> counts.put(e.getKey(), e.getValue().getAsInt()));
        t.optimizer().restore(readTensors(folder.resolve("optimizer.bin")), counts);
        t.restoreStep(saved.get("step").getAsLong());
    }

    /** The step folder named by {@code dir/latest}. */
    public static Path latest(Path dir) throws IOException {
        Path pointer = dir.resolve("latest");
        if (!Files.exists(pointer)) {
            throw new NoSuchFileException(pointer.toString(), null, "no checkpoint in " + dir + " (no 'latest' file)");
        }
        return dir.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
    }

    /** The step count stored in the latest checkpoint of {@code dir}. */
    public static long latestStep(Path dir) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(latest(dir).resolve("config.json"))).getAsJsonObject();
        return o.get("step").getAsLong();
    }

    private static JsonObject describe(Trainer t) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.add("model", t.model().describe());
        o.add("train", t.config().toJsonObject());
        o.add("data", new Gson().toJsonTree(t.data().spec()));
        return o;
    }

    private static void diff(String path, JsonElement saved, JsonElement mine, List<String> out) {
        if (saved != null && mine != null && saved.isJsonObject() && mine.isJsonObject()) {
            for (String k : mine.getAsJsonObject().keySet()) {
                diff(path + "." + k, saved.getAsJsonObject().get(k), mine.getAsJsonObject().get(k), out);
            }
            for (String k : saved.getAsJsonObject().keySet()) {
                if (!mine.getAsJsonObject().has(k)) {
                    out.add(path + "." + k + " only in checkpoint");
                }
            }
        } else if (saved == null ? mine != null : !saved.equals(mine)) {
            out.add(path + " = " + saved + " in the checkpoint but " + mine + " here");
        }
    }

    private static void loadInto(Map<String, float[]> saved, Map<String, ai.djl.nn.Parameter> params, String what) {
        for (Map.Entry<String, ai.djl.nn.Parameter> e : params.entrySet()) {
            float[] v = saved.get(e.getKey());
            if (v == null || v.length != e.getValue().getArray().size()) {
                throw new IllegalArgumentException("checkpoint " + what + " " + e.getKey() + ": missing or of wrong size");
            }
            e.getValue().getArray().set(v);
        }
    }

    private static Map<String, float[]> floats(Map<String, NDArray> arrays) {
        Map<String, float[]> m = new LinkedHashMap<>();
        arrays.forEach((k, a) -> m.put(k, a.toFloatArray()));
        return m;
    }

    private static void writeTensors(Path file, Map<String, float[]> tensors) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            TensorFile.write(out, tensors);
        }
    }

    private static Map<String, float[]> readTensors(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return TensorFile.read(in);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}

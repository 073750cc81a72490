package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tpdiff4j.data.Tensors;
import tpdiff4j.schedule.AtomicFiles;
import tpdiff4j.schedule.StrictJson;

/**
 * Checkpoint folder layout: {@code dir/step-000000123/} holds {@code config.json} (format, run id, model, train config
 * with the full pyramid (a function schedule tabulated, see {@link TrainConfig}) and the noise coupling, data spec,
 * data set (class and description, see {@link RecordedName}),
 * optimizer counts, step = RNG state, the CRC-32 of each tensor file), {@code weights.bin},
 * {@code ema.bin} and {@code optimizer.bin} ({@link TensorFile}); {@code dir/latest} names the current step folder.
 *
 * <p><b>A folder belongs to one run.</b> Every checkpoint carries the id of the run that wrote it; a trainer resumed
 * from a checkpoint continues that run (and its id). A trainer refuses, when it is built and again before every save,
 * to write into a folder whose current checkpoint belongs to another run: the message names the folder, the other
 * run's step and how its configuration differs. Nothing of another run is ever deleted or replaced. Two trainers
 * resumed from the same checkpoint continue the same run: a trainer also refuses to save into a folder whose current
 * checkpoint of its run is not the one it last loaded from or saved into that folder (in a folder it has not used:
 * one newer than its last checkpoint anywhere), since that is the other trainer's and the save would delete it.
 *
 * <p><b>Saving is atomic</b> (see {@link CheckpointStore}): files go to a temporary folder, are flushed to disk and
 * renamed into place, and {@code latest} is replaced by renaming a new pointer file over it; older step folders of
 * the run are deleted only after that. A crash at any point leaves {@code latest} naming a complete checkpoint.
 * Weights that are not finite are never saved.
 *
 * <p><b>Loading is all or nothing:</b> {@code config.json} and the three tensor files are read and checked against
 * the trainer (names, sizes, finite values, counts, each tensor file's CRC-32, which {@code config.json} records
 * under {@code "checksums"}, and the step against the random stream's step and the optimizer's update counts) before
 * anything is changed; an error names the file and the field. A checkpoint whose
 * training configuration has the form used before 29 November 2026 (a mode, a schedule and a number of stages) is
 * neither resumed nor replaced; the refusal says so and what to do.
 *
 * <p>Saving copies weights, EMA and optimizer state from the trainer's device to the host; loading copies them back
 * into the trainer's existing arrays, so a checkpoint written on a GPU loads on the CPU and the other way round.
 */
public final class Checkpoint {

    static final String FORMAT = "tpdiff4j-checkpoint";
    static final int VERSION = 1;
    private static final String CONFIG = "config.json";
    private static final String WEIGHTS = "weights.bin";
    private static final String EMA = "ema.bin";
    private static final String OPTIMIZER = "optimizer.bin";

    /** Room beyond a checkpoint's bytes below which a failed save is put down to a full disk. */
    private static final long ROOM_MARGIN = 64 * 1024;

    private Checkpoint() {
    }

    static Path save(Trainer t, Path dir) throws IOException {
        return save(t, dir, SaveHook.NONE);
    }

    /** Saves with a hook called after each step of the save (for fault-injection tests). */
    static Path save(Trainer t, Path dir, SaveHook hook) throws IOException {
        CheckpointStore store = new CheckpointStore(dir);
        claim(t, store);
        Map<String, float[]> weights = finite(floats(t.model().namedParameters(), p -> p.getArray()), "weight", t);
        Map<String, float[]> ema = finite(floats(t.ema().arrays(), a -> a), "EMA weight", t);
        Map<String, float[]> opt = finite(floats(t.optimizer().state(), a -> a), "optimizer moment", t);
        JsonObject cfg = describe(t);
        cfg.addProperty("run", t.runId());
        JsonObject o = new JsonObject();
        o.addProperty("name", "AdamW");
        o.add("counts", new Gson().toJsonTree(new java.util.TreeMap<>(t.optimizer().counts())));
        cfg.add("optimizer", o);
        cfg.addProperty("step", t.stepCount());
        JsonObject rng = new JsonObject();
        rng.addProperty("seed", t.config().seed());
        rng.addProperty("step", t.stepCount());
        rng.addProperty("rule", "step n draws from SplittableRandom(splitmix64(seed, n))");
        cfg.add("rng", rng);
        Map<String, byte[]> tensors = new LinkedHashMap<>();
        tensors.put(WEIGHTS, TensorFile.bytes(weights));
        tensors.put(EMA, TensorFile.bytes(ema));
        tensors.put(OPTIMIZER, TensorFile.bytes(opt));
        JsonObject sums = new JsonObject();
        tensors.forEach((name, bytes) -> sums.addProperty(name, crc32(bytes)));
        cfg.add("checksums", sums);
        byte[] json = new GsonBuilder().setPrettyPrinting().create().toJson(cfg).getBytes(StandardCharsets.UTF_8);
        Map<String, AtomicFiles.Content> files = new LinkedHashMap<>();
        tensors.forEach((name, bytes) -> files.put(name, out -> out.write(bytes)));
        files.put(CONFIG, out -> out.write(json));
        // An interrupt that arrives just before or during the save (a notebook's Kernel > Interrupt while a listener
        // or the save runs) would close the file channels and lose the checkpoint: it is deferred, and set again after.
        long bytes = json.length + tensors.values().stream().mapToLong(b -> b.length).sum();
        try {
            Path saved = AtomicFiles.uninterrupted(() -> store.save(t.stepCount(), files, folder -> t.runId().equals(runOrNull(folder)), hook));
            t.checkpointed(store.dir(), t.stepCount(), identity(saved, sums));
            return saved;
        } catch (CheckpointStore.NotFlushed e) {
            t.checkpointed(store.dir(), t.stepCount(), identity(e.folder(), sums));
            throw e; // saved and current: the disk had room
        } catch (IOException e) {
            String room = room(store.dir(), bytes);
            if (room == null) {
                throw e;
            }
            throw new IOException(Trainer.reason(e, store.dir()) + "; " + room, e);
        }
    }

    /**
     * When the disk of {@code dir} has less room than a checkpoint of {@code bytes} needs, says so with the numbers
     * and what to do; null when there is room (the save failed for another reason) or the free space is unknown.
     */
    static String room(Path dir, long bytes) {
        // a file system hands out whole blocks, and a save makes a folder and a pointer file besides the files
        long free;
        try {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return null;
            }
            free = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (free >= bytes + ROOM_MARGIN) {
            return null;
        }
        return "a checkpoint of this trainer takes about " + bytes + " bytes and the disk of " + dir + " has " + free
                + " bytes free (the previous checkpoint stays until the new one is complete, so both must fit):"
                + " free space there or save to a folder on another disk";
    }

    /**
     * Refuses a folder whose current checkpoint belongs to another run than {@code t}'s (or cannot be read), with
     * a message naming the folder, the other run's step and the configuration differences.
     */
    static void claim(Trainer t, Path dir) {
        claim(t, new CheckpointStore(dir));
    }

    private static void claim(Trainer t, CheckpointStore store) {
        if (!store.hasCheckpoint()) {
            return;
        }
        String why = null;
        String older = null;
        String forked = null;
        try {
            Path folder = store.latest();
            JsonObject saved = readConfig(folder.resolve(CONFIG));
            older = TrainConfig.olderFormat(saved.get("train"));
            if (older != null) {
                older = "holds a checkpoint (" + folder.getFileName() + ") that " + older;
            }
            String run = runId(saved, folder);
            if (older == null && run.equals(t.runId())) {
                long theirs = step(saved, folder.resolve(CONFIG));
                String mine = t.checkpointIn(store.dir());
                if (mine == null ? theirs <= t.checkpointedStep() : mine.equals(identity(folder, saved.get("checksums")))) {
                    return; // the checkpoint this trainer loaded or saved there, or (in a folder new to it) an older one
                }
                forked = "checkpoint folder " + store.dir() + " holds a checkpoint of this trainer's run at step "
                        + theirs + " (" + folder.getFileName() + ") that this trainer did not save: another trainer"
                        + " that continues the same run (one resumed from the same checkpoint, in this process or"
                        + " another) saved it after this trainer's last checkpoint (step " + t.checkpointedStep()
                        + "). This trainer is at step " + t.stepCount()
                        + "; saving here would replace that checkpoint and delete its steps, so it refuses: save this"
                        + " trainer's steps into another folder with saveCheckpoint(otherDir), or continue the newer"
                        + " checkpoint with withResumeFrom(Path.of(\"" + store.dir() + "\")).";
            } else {
                List<String> diffs = differences(saved, t);
                why = "holds the checkpoint of another run (" + folder.getFileName() + ", step " + step(saved, folder.resolve(CONFIG))
                        + ", " + (diffs.isEmpty() ? "the same configuration)" : "a different configuration, field by"
                        + " field:" + lines(diffs) + System.lineSeparator() + ")");
            }
        } catch (IOException e) {
            // a missing file's exception gives only the path: reason says "missing file or folder: ..."
            why = "holds a checkpoint that cannot be read (" + Trainer.reason(e, store.dir()) + ")";
        } catch (RuntimeException e) {
            why = "holds a checkpoint that cannot be read (" + e.getMessage() + ")";
        }
        if (forked != null) {
            throw new IllegalStateException(forked);
        }
        if (older != null) {
            throw new IllegalStateException("checkpoint folder " + store.dir() + " " + older + " This version cannot"
                    + " resume it and does not replace it: choose an empty folder for this run (the older checkpoint"
                    + " stays as it is).");
        }
        throw new IllegalStateException("checkpoint folder " + store.dir() + " " + why + ". This trainer would replace it, "
                + "so it refuses: resume that run with withResumeFrom(Path.of(\"" + store.dir() + "\")) or choose an empty folder.");
    }

    static void load(Trainer t, Path dir) throws IOException {
        tpdiff4j.nn.Compute.adoptThread(); // weights are overwritten in place: autograd off on this thread
        Path folder = new CheckpointStore(dir).latest();
        Path cfgFile = folder.resolve(CONFIG);
        JsonObject saved = readConfig(cfgFile);
        String older = TrainConfig.olderFormat(saved.get("train"));
        if (older != null) {
            throw new IllegalArgumentException("checkpoint " + folder + " " + older + " This version cannot read that"
                    + " configuration, so it cannot continue the run with the same meaning: resume it with the version"
                    + " that wrote it, or start a new run in another folder (the checkpoint stays as it is).");
        }
        List<String> diffs = differences(saved, t);
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + folder + " is incompatible with this trainer, field by"
                    + " field:" + lines(diffs) + System.lineSeparator() + "Build the trainer with the checkpoint's"
                    + " configuration (see its config.json) or start a new run in another folder.");
        }
        long step = step(saved, cfgFile);
        String run = runId(saved, folder);
        Map<String, Integer> counts = counts(saved, cfgFile, t.model().namedParameters().keySet());
        consistentStep(saved, cfgFile, step, counts);
        // read and check everything before changing the trainer
        Map<String, float[]> weights = matching(TensorFile.read(folder.resolve(WEIGHTS)), t.model().namedParameters(),
                p -> p.getArray().size(), folder.resolve(WEIGHTS));
        Map<String, float[]> ema = matching(TensorFile.read(folder.resolve(EMA)), t.ema().arrays(), NDArray::size, folder.resolve(EMA));
        Map<String, float[]> opt = matching(TensorFile.read(folder.resolve(OPTIMIZER)), t.optimizer().state(), NDArray::size,
                folder.resolve(OPTIMIZER));
        checksums(saved, folder); // after the structure checks, whose messages are more specific
        t.model().namedParameters().forEach((k, p) -> Tensors.copyInto(p.getArray(), weights.get(k)));
        t.ema().arrays().forEach((k, a) -> Tensors.copyInto(a, ema.get(k)));
        t.optimizer().restore(opt, counts);
        t.restoreStep(step);
        t.continueRun(run);
        t.checkpointed(new CheckpointStore(dir).dir(), step, identity(folder, saved.get("checksums")));
    }

    /**
     * What tells one saved checkpoint from another: its step folder's name and the checksums of its tensor files (a
     * name can come back once its folder is deleted; the weights of two trainers differ).
     */
    private static String identity(Path folder, JsonElement checksums) {
        return folder.getFileName() + " " + checksums;
    }

    /** CRC-32 of a file's bytes as 8 hex digits. */
    private static String crc32(byte[] bytes) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(bytes);
        return String.format(Locale.ROOT, "%08x", c.getValue());
    }

    /**
     * Checks each tensor file against the CRC-32 that {@code config.json} records for it, so that damage that keeps
     * a file's structure (a changed byte inside a weight) is found too. Checkpoints written before checksums were
     * recorded have none and are read as they are.
     */
    private static void checksums(JsonObject saved, Path folder) throws IOException {
        JsonElement sums = saved.get("checksums");
        if (sums == null) {
            return;
        }
        Path cfg = folder.resolve(CONFIG);
        if (!sums.isJsonObject()) {
            throw new IllegalArgumentException(cfg + ": field 'checksums' = " + StrictJson.excerpt(sums.toString())
                    + "; allowed: an object of file name to CRC-32");
        }
        for (String name : new String[] {WEIGHTS, EMA, OPTIMIZER}) {
            JsonElement want = sums.getAsJsonObject().get(name);
            if (want == null || !want.isJsonPrimitive() || !want.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(cfg + ": field 'checksums." + name + "' = "
                        + StrictJson.excerpt(String.valueOf(want)) + "; allowed: the file's CRC-32 as 8 hex digits");
            }
            Path file = folder.resolve(name);
            String got = crc32(Files.readAllBytes(file));
            if (!got.equals(want.getAsString())) {
                throw new IllegalArgumentException(file + ": CRC-32 " + got + " but " + CONFIG + " records "
                        + StrictJson.excerpt(want.getAsString()) + ": the file was changed or damaged after it was"
                        + " saved; resume from another checkpoint or start a new run");
            }
        }
    }

    /** The step folder named by {@code dir/latest} (a step folder inside {@code dir}, never elsewhere). */
    public static Path latest(Path dir) throws IOException {
        return new CheckpointStore(dir).latest();
    }

    /** The step count stored in the latest checkpoint of {@code dir}. */
    public static long latestStep(Path dir) throws IOException {
        Path cfg = latest(dir).resolve(CONFIG);
        return step(readConfig(cfg), cfg);
    }

    private static JsonObject describe(Trainer t) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("version", VERSION);
        o.add("model", t.model().describe());
        o.add("train", t.config().toJsonObject());
        o.add("data", new Gson().toJsonTree(t.data().spec()));
        JsonObject set = new JsonObject();
        set.addProperty("class", t.data().getClass().getName());
        set.addProperty("description", RecordedName.of(t.data()));
        o.add("dataset", set);
        return o;
    }

    /**
     * The places where the checkpoint's section differs from the trainer's, each as
     * {@code field: value in the checkpoint vs. value in this trainer}.
     */
    private static void diff(String path, JsonElement saved, JsonElement mine, List<String> out) {
        StrictJson.compare(path, saved, mine, (p, s, m, parent) -> out.add(p + ": "
                + (s == null ? "absent" : shorten(s)) + " in the checkpoint vs. "
                + (m == null ? "absent" : shorten(m)) + " in this trainer"));
    }

    /** The differences one per line, indented under the sentence that introduces them. */
    private static String lines(List<String> diffs) {
        String nl = System.lineSeparator();
        return nl + "  " + String.join(nl + "  ", diffs);
    }

    /**
     * How the checkpoint's configuration differs from the trainer's. The tabulation report of a function schedule
     * ({@code train.scheduleTable}) is not compared: a trainer built from the checkpoint's own configuration has the
     * table as its schedule and no report, and the tables themselves are compared in the pyramid. The data set is
     * compared by class and description ({@link RecordedName}): clips are addressed by seed, so another data set of
     * the same shape would continue the run on other clips. Checkpoints written before data sets were recorded are
     * compared by the clip shape alone.
     */
    private static List<String> differences(JsonObject saved, Trainer t) {
        JsonObject mine = describe(t);
        List<String> diffs = new ArrayList<>();
        JsonElement set = saved.get("dataset");
        if (set != null && !set.equals(mine.get("dataset"))) {
            diffs.add("dataset: " + datasetText(set) + " in the checkpoint vs. " + datasetText(mine.get("dataset"))
                    + " in this trainer (the data set differs, so the run would continue on other clips; a data set of"
                    + " one's own is recognised by its class and toString(), so give it one that is the same in every"
                    + " process)");
        }
        for (String section : new String[] {"version", "model", "train", "data"}) {
            JsonElement s = saved.get(section), m = mine.get(section);
            if (section.equals("train") && s != null && s.isJsonObject()) {
                s = TrainConfig.withoutScheduleTable(s.getAsJsonObject());
                m = TrainConfig.withoutScheduleTable(m.getAsJsonObject());
            }
            diff(section, s, m, diffs);
        }
        return diffs;
    }

    /** A recorded data set for a message: its description, and its class where the description does not name it. */
    private static String datasetText(JsonElement set) {
        if (!set.isJsonObject()) {
            return StrictJson.excerpt(set.toString());
        }
        JsonElement c = set.getAsJsonObject().get("class"), d = set.getAsJsonObject().get("description");
        String cls = c == null || !c.isJsonPrimitive() ? String.valueOf(c) : c.getAsString();
        String text = d == null || !d.isJsonPrimitive() ? String.valueOf(d) : d.getAsString();
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        return "\"" + text + "\"" + (text.startsWith(simple) || text.equals(cls) ? "" : " (" + cls + ")");
    }

    /** Parses and checks the header of a config.json; errors name the file. */
    private static JsonObject readConfig(Path file) throws IOException {
        String text = AtomicFiles.readText(file, MAX_CONFIG_BYTES, "the JSON file " + CONFIG + " of a checkpoint");
        JsonObject o = StrictJson.parseObject(text, file.toString());
        tpdiff4j.schedule.DocumentKind.CHECKPOINT.require(o, file.toString());
        JsonElement f = o.get("format");
        if (f == null || !f.isJsonPrimitive() || !FORMAT.equals(f.getAsString())) {
            throw new IllegalArgumentException(file + ": field 'format' = " + StrictJson.excerpt(String.valueOf(f)) + "; allowed: \"" + FORMAT + "\"");
        }
        return o;
    }

    /** A config.json may be this large (a tabulated schedule makes it a few hundred KB). */
    private static final long MAX_CONFIG_BYTES = 64L << 20;

    private static long step(JsonObject saved, Path file) {
        long s = integer(StrictJson.field(saved, "step", file.toString(), "an integer >= 0"), file, "step");
        if (s < 0) {
            throw new IllegalArgumentException(file + ": field 'step' = " + s + "; allowed: an integer >= 0");
        }
        return s;
    }

    /**
     * Refuses a config.json whose step disagrees with the two other records of it, which its checksums do not cover: the
     * random stream's step (written equal to it) and the optimizer's update counts (at most one update a step). A
     * changed step would otherwise resume on another part of the data and noise stream, without a word.
     */
    private static void consistentStep(JsonObject saved, Path file, long step, Map<String, Integer> counts) {
        JsonElement rng = saved.get("rng");
        if (rng != null && rng.isJsonObject() && rng.getAsJsonObject().has("step")) {
            long r = integer(rng.getAsJsonObject().get("step"), file, "rng.step");
            if (r != step) {
                throw new IllegalArgumentException(file + ": field 'rng.step' = " + r + " but field 'step' = " + step
                        + "; allowed: the same step in both, as a save writes them (the file was changed or damaged"
                        + " after it was saved); resume from another checkpoint or start a new run");
            }
        }
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            if (c.getValue() > step) {
                throw new IllegalArgumentException(file + ": field 'optimizer.counts." + c.getKey() + "' = "
                        + c.getValue() + " but field 'step' = " + step + "; allowed: at most one update a step, so"
                        + " counts <= step (the file was changed or damaged after it was saved); resume from another"
                        + " checkpoint or start a new run");
            }
        }
    }

    private static long integer(JsonElement e, Path file, String field) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(file + ": field '" + field + "' = " + StrictJson.excerpt(String.valueOf(e))
                    + "; allowed: an integer");
        }
        try {
            return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
        } catch (ArithmeticException | NumberFormatException ex) {
            throw new IllegalArgumentException(file + ": field '" + field + "' = " + StrictJson.excerpt(e.toString())
                    + "; allowed: an integer", ex);
        }
    }

    /** The run id a checkpoint belongs to; checkpoints written before run ids existed count as a run of their own. */
    private static String runId(JsonObject saved, Path folder) {
        JsonElement r = saved.get("run");
        if (r == null) {
            return "unnamed run of " + folder.getFileName();
        }
        if (!r.isJsonPrimitive() || !r.getAsJsonPrimitive().isString() || r.getAsString().isBlank()) {
            throw new IllegalArgumentException(folder.resolve(CONFIG) + ": field 'run' = " + StrictJson.excerpt(r.toString())
                    + "; allowed: a non-empty string");
        }
        return r.getAsString();
    }

    /** The run id of a step folder, or null if it has none that can be read. */
    private static String runOrNull(Path folder) {
        try {
            return runId(readConfig(folder.resolve(CONFIG)), folder);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Map<String, Integer> counts(JsonObject saved, Path file, Set<String> names) {
        String allowed = "an object of parameter name to update count, as a save writes it";
        JsonElement opt = StrictJson.field(saved, "optimizer", file.toString(), "an object with 'counts', " + allowed);
        if (!opt.isJsonObject()) {
            throw new IllegalArgumentException(file + ": field 'optimizer' = " + StrictJson.excerpt(opt.toString())
                    + "; allowed: an object with 'counts', " + allowed);
        }
        JsonElement c = opt.getAsJsonObject().get("counts");
        if (c == null) {
            throw new IllegalArgumentException(file + ": field 'optimizer.counts' is missing; allowed: " + allowed);
        }
        if (!c.isJsonObject()) {   // null included: it is shown as 'null', never as missing
            throw new IllegalArgumentException(file + ": field 'optimizer.counts' = " + StrictJson.excerpt(c.toString())
                    + "; allowed: " + allowed);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : c.getAsJsonObject().entrySet()) {
            long n = integer(e.getValue(), file, "optimizer.counts." + e.getKey());
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": field 'optimizer.counts." + e.getKey() + "' = " + n
                        + "; allowed: 0 .. " + Integer.MAX_VALUE);
            }
            counts.put(e.getKey(), (int) n);
        }
        if (!counts.keySet().equals(names)) {
            throw new IllegalArgumentException(file + ": field 'optimizer.counts' names " + counts.size()
                    + " parameters; the model has " + names.size() + " (missing " + minus(names, counts.keySet())
                    + ", unknown " + minus(counts.keySet(), names) + ")");
        }
        return counts;
    }

    /** Checks that {@code saved} holds exactly the tensors of {@code live}, of the right sizes and finite. */
    private static <V> Map<String, float[]> matching(Map<String, float[]> saved, Map<String, V> live,
                                                   java.util.function.ToLongFunction<V> size, Path file) {
        if (!saved.keySet().equals(live.keySet())) {
            throw new IllegalArgumentException(file + ": holds " + saved.size() + " tensors, the trainer " + live.size()
                    + " (missing " + minus(live.keySet(), saved.keySet()) + ", unknown " + minus(saved.keySet(), live.keySet()) + ")");
        }
        for (Map.Entry<String, V> e : live.entrySet()) {
            float[] v = saved.get(e.getKey());
            if (v.length != size.applyAsLong(e.getValue())) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has " + v.length
                        + " values; the trainer's has " + size.applyAsLong(e.getValue()));
            }
            int bad = firstNonFinite(v);
            if (bad >= 0) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' holds " + v[bad] + " at index " + bad);
            }
        }
        return saved;
    }

    /** A JSON value for a message: at most 80 characters. */
    private static String shorten(JsonElement e) {
        String s = String.valueOf(e);
        return s.length() <= 80 ? s : s.substring(0, 80) + "... (" + s.length() + " characters)";
    }

    private static List<String> minus(Set<String> a, Set<String> b) {
        List<String> out = new ArrayList<>();
        for (String x : a) {
            if (!b.contains(x) && out.size() < 5) {
                out.add(StrictJson.excerpt(x));
            }
        }
        return out;
    }

    private static <V> Map<String, float[]> floats(Map<String, V> arrays, java.util.function.Function<V, NDArray> array) {
        Map<String, float[]> m = new LinkedHashMap<>();
        arrays.forEach((k, a) -> m.put(k, array.apply(a).toFloatArray()));
        return m;
    }

    /** Refuses to save non-finite values: the last good checkpoint stays current. */
    private static Map<String, float[]> finite(Map<String, float[]> tensors, String what, Trainer t) {
        tensors.forEach((k, v) -> {
            int bad = firstNonFinite(v);
            if (bad >= 0) {
                throw new ArithmeticException("not saving a checkpoint at step " + t.stepCount() + ": " + what + " '" + k
                        + "' holds " + v[bad] + " at index " + bad + "; the previous checkpoint stays current");
            }
        });
        return tensors;
    }

    private static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }
}

package tpdiff4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tpdiff4j.Refusals;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.experiment.TimedInTurn;
import tpdiff4j.metrics.MetricReport;
import tpdiff4j.metrics.VideoMetrics;
import tpdiff4j.nn.Compute;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.Solvers;
import tpdiff4j.sample.VideoFrames;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.TrainConfig;

import tpdiff4j.train.TrainResult;
import tpdiff4j.train.Trainer;

/**
 * Vanilla versus TPDiff on the same sprite data, model, seed and budget (the table of {@code environment/compare}):
 * train each mode for
 * at most {@code steps} steps or {@code maxTrainSeconds} seconds (whichever ends first), sample {@code samples}
 * clips with 30 Euler steps (vanilla) or 10/10/10 (TPDiff, K = 3; 8/8/7/7 with {@code --stages 4}) from the EMA
 * weights with the same seed, and score
 * both against fresh real clips with {@link VideoMetrics} (motion-feature Frechet distance, flicker, classifier
 * two-sample test). Timings join the table as extra rows: seconds per training step, steps done, sampling seconds
 * (the median of three calls per mode, made after all modes are trained, with the modes in turn).
 *
 * <pre>{@code
 * Comparison.Result r = Comparison.run(Comparison.Options.quick(), System.out);
 * System.out.println(r.table());
 * }</pre>
 * Command line: {@code environment/compare --preset quick|small [--model attention|tiny|small] [--steps N]
 * [--seconds S] [--samples N] [--unaligned] [--times uniform|logitnormal] [--stages K] [--quiet]}, in any order; an
 * earlier run's
 * files of the same preset move to {@code build/compare/previous/} first ({@link #keepPreviousRun}).
 */
public final class Comparison {

    static {
        tpdiff4j.ode.DjlNetwork.apply(); // usage reporting off, offline unless asked: before DJL starts
    }

    private Comparison() {
    }

    /** Sampling calls per mode; the table holds each mode's median. */
    static final int SAMPLING_CALLS = 3;

    /**
     * @param preset          name written into the JSON
     * @param model           a {@link ModelConfig#PRESETS} name: "attention" (default: full space-time attention, where
     *                        TPDiff's cheaper steps pay off), "tiny" or "small" (factorized attention)
     * @param frames          F (multiple of 4)
     * @param size            16 or 32
     * @param batchSize       clips per training step
     * @param steps           step budget per mode
     * @param maxTrainSeconds wall-clock budget per mode
     * @param samples         generated clips per mode (and real clips)
     * @param learningRate    AdamW learning rate
     * @param seed            seed of data, model, training and sampling
     * @param unaligned       also train TPDiff without alignment (a third column)
     * @param times           how every mode draws diffusion times: the paper's uniform draw, or logit-normal(0, 1)
     *                        for all of them with TPDiff's stages drawn by its mass ({@link RaceTimes})
     * @param stages          TPDiff's uniform stages: 3, the paper's main setting, or another count the frames hold (2
     *                        to 4 for 16 frames), a named option; TPDiff samples them with 30 calls split as evenly as
     *                        they go, the earlier stages taking the remainder (8/8/7/7 for 4)
     * @param progress        a progress line while it trains ({@code --quiet}: none)
     */
    public record Options(String preset, String model, int frames, int size, int batchSize, long steps,
                          double maxTrainSeconds, int samples, double learningRate, long seed, boolean unaligned,
                          RaceTimes times, int stages, boolean progress) {

        public Options {
            Refusals.notNull(times, "times", "one of " + java.util.Arrays.toString(RaceTimes.values()));
            Preset.checkStages(stages, frames);
            if (steps < 1) {
                throw Refusals.refuse("steps", steps, "at least 1 (training steps per mode)");
            }
            if (!(maxTrainSeconds > 0) || Double.isInfinite(maxTrainSeconds)) {
                throw Refusals.refuse("seconds", maxTrainSeconds,
                        "a positive, finite number of seconds (training budget per mode)");
            }
            if (samples < 2) {
                throw Refusals.refuse("samples", samples,
                        "at least 2 (the Frechet distance fits a covariance to the generated clips)");
            }
        }

        /** Under 3 minutes on the 2-core machine: attention model, 16x16x16, 300 steps or 45 s per mode, 48 clips. */
        public static Options quick() {
            return new Options("quick", "attention", 16, 16, 8, 300, 45, 48, Preset.RACE_LEARNING_RATE, 1, false, RaceTimes.UNIFORM, 3, true);
        }

        /**
         * The longer comparison: attention model, 16x16x16, 2000 steps or 600 s per mode, 64 clips (add --unaligned for
         * a third column), learning rate 2e-3 as in the benchmark's race (the better rate for vanilla at a few
         * thousand steps).
         */
        public static Options small() {
            return new Options("small", "attention", 16, 16, 8, 2000, 600, 64, Preset.RACE_LEARNING_RATE, 1, false, RaceTimes.UNIFORM, 3, true);
        }

        public static Options preset(String name) {
            return switch (name) {
                case "quick" -> quick();
                case "small" -> small();
                default -> throw new IllegalArgumentException("preset = '" + name + "'; allowed: quick or small");
            };
        }

        /** The same options with another model preset ({@link ModelConfig#PRESETS}). */
        public Options withModel(String m) {
            if (!ModelConfig.PRESETS.contains(m)) {
                throw new IllegalArgumentException("model = '" + m + "'; allowed: one of " + ModelConfig.PRESETS);
            }
            return new Options(preset, m, frames, size, batchSize, steps, maxTrainSeconds, samples, learningRate, seed, unaligned, times, stages, progress);
        }

        public Options withSteps(long s) {
            return new Options(preset, model, frames, size, batchSize, s, maxTrainSeconds, samples, learningRate, seed, unaligned, times, stages, progress);
        }

        public Options withSeconds(double s) {
            return new Options(preset, model, frames, size, batchSize, steps, s, samples, learningRate, seed, unaligned, times, stages, progress);
        }

        public Options withUnaligned(boolean u) {
            return new Options(preset, model, frames, size, batchSize, steps, maxTrainSeconds, samples, learningRate, seed, u, times, stages, progress);
        }

        public Options withProgress(boolean show) {
            return new Options(preset, model, frames, size, batchSize, steps, maxTrainSeconds, samples, learningRate, seed, unaligned, times, stages, show);
        }

        /** The same options with another time draw for every mode. */
        public Options withTimes(RaceTimes t) {
            return new Options(preset, model, frames, size, batchSize, steps, maxTrainSeconds, samples, learningRate, seed, unaligned, t, stages, progress);
        }

        /** The same options with another number of TPDiff stages (checked against the frame count). */
        public Options withStages(int k) {
            return new Options(preset, model, frames, size, batchSize, steps, maxTrainSeconds, samples, learningRate, seed, unaligned, times, k, progress);
        }

        public Options withSamples(int n) {
            return new Options(preset, model, frames, size, batchSize, steps, maxTrainSeconds, n, learningRate, seed, unaligned, times, stages, progress);
        }
    }

    /**
     * The outcome: one report per mode (metrics plus timing rows), and the options.
     *
     * @param options the options the comparison ran with
     * @param reports one report per mode, in the order the modes ran: the metrics and the timing rows
     * @param device  the device the comparison ran on, as the library describes it
     */
    public record Result(Options options, List<MetricReport> reports, String device) {

        /** The aligned text table. */
        public String table() {
            return MetricReport.table(reports);
        }

        /** Options, device and reports as JSON. */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.add("options", new GsonBuilder().create().toJsonTree(options));
            o.addProperty("device", device);
            o.add("reports", JsonParser.parseString(MetricReport.tableJson(reports)).getAsJsonArray());
            return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o);
        }
    }

    /**
     * Seconds as given: whole ones without a fraction ({@code 45}), others with theirs ({@code 2.5}, {@code 0.001}); a
     * budget of {@code --seconds 0.5} was printed as 0 s.
     */
    static String seconds(double s) {
        return s == Math.rint(s) && Math.abs(s) < 1e15 ? Long.toString((long) s) : Double.toString(s);
    }

    /** Runs the comparison; progress and headings go to {@code log} (may be null). */
    public static Result run(Options o, PrintStream log) {
        PrintStream out = log == null ? new PrintStream(PrintStream.nullOutputStream()) : log;
        String device = Compute.describe();
        out.println("device: " + device);
        SpriteVideos data = SpriteVideos.builder().withFrames(o.frames()).withSize(o.size()).build();
        ModelConfig model = ModelConfig.preset(o.model(), o.frames(), 1, o.size(), o.size()).withSeed(o.seed());
        List<BenchArm> modes = new ArrayList<>(List.of(BenchArm.VANILLA, BenchArm.TPDIFF_ALIGNED));
        if (o.unaligned()) {
            modes.add(BenchArm.TPDIFF_UNALIGNED);
        }
        List<MetricReport> reports = new ArrayList<>();
        VideoMetrics metrics = VideoMetrics.DEFAULT.withSeed(o.seed());
        List<Trainer> trainers = new ArrayList<>(); // kept open until every trained mode is sampled
        List<TrainResult> results = new ArrayList<>();
        try (NDManager m = Compute.newManager()) { // the trainers below default to the same device
            NDArray real = data.batch(m, o.samples(), o.seed() ^ 0x5EEDL);
            for (BenchArm mode : modes) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
                TrainConfig cfg = mode.config(o.frames(), o.seed(), o.times(), o.stages()).withBatchSize(o.batchSize())
                        .withLearningRate(o.learningRate());
                out.printf(Locale.ROOT, "%n== %s: %s, %d x %d x %d frames, batch %d, %s times%s, budget %d steps / %s s%n",
                        name(mode), o.model(), o.size(), o.size(), o.frames(), o.batchSize(), o.times().label(),
                        mode == BenchArm.VANILLA ? "" : ", " + o.stages() + " stages", o.steps(), seconds(o.maxTrainSeconds()));
                Trainer t = Trainer.builder().withModel(model).withConfig(cfg).withData(data)
                        .withProgress(o.progress()).withProgressStream(out).build();
                trainers.add(t);
                TrainResult r = t.train(o.steps(), o.maxTrainSeconds());
                if (r.interrupted()) {
                    out.println("interrupted: comparison stopped after " + r.totalSteps() + " steps of " + name(mode));
                    trainers.remove(trainers.size() - 1).close();
                    Thread.currentThread().interrupt(); // let the caller see it too
                    break;
                }
                results.add(r);
            }
            sampleAndScore(o, modes, trainers, results, data, real, metrics, m, out, reports);
            writeGif(o, "real", real, out);
        } finally {
            trainers.forEach(Trainer::close);
        }
        return new Result(o, reports, device);
    }

    /**
     * Samples every trained mode {@link #SAMPLING_CALLS} times with the modes in turn ({@link TimedInTurn}: a change of
     * load hits every mode alike), keeps each mode's median time, and scores the clips of the first call; on a GPU a
     * timed call ends when the device has finished ({@link TimedInTurn#sampling}). An interrupt stops
     * the timing; a mode whose first call finished is still scored, with the median of its finished calls.
     */
    private static void sampleAndScore(Options o, List<BenchArm> modes, List<Trainer> trainers, List<TrainResult> results,
            SpriteVideos data, NDArray real, VideoMetrics metrics, NDManager m, PrintStream out,
            List<MetricReport> reports) {
        int n = trainers.size();
        if (n == 0) {
            return;
        }
        VideoSampler[] samplers = new VideoSampler[n];
        NDArray[] first = new NDArray[n];
        List<TimedInTurn.Sampling> works = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            Trainer t = trainers.get(i);
            samplers[i] = modes.get(i) == BenchArm.VANILLA
                    ? VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 30)
                    : VideoSampler.pyramid(t.pyramid(), Solvers.euler(), Bed.steps30(o.stages()));
            works.add((arrays, call) -> t.withEmaWeights(() -> samplers[k].sample(t.denoiser(), arrays, o.samples(),
                    data.spec(), o.seed() + 7)));
        }
        out.printf(Locale.ROOT, "%nsampling %d clips per mode, %d calls with the modes in turn%n", o.samples(),
                SAMPLING_CALLS);
        // the same clips on every call (same seed): the first call's are scored, kept in m
        TimedInTurn timed = TimedInTurn.sampling(SAMPLING_CALLS, m, works, (k, clips) -> {
            first[k] = clips.clip(-1f, 1f);
            first[k].attach(m);
        });
        for (int i = 0; i < n; i++) {
            if (first[i] == null) {
                continue; // interrupted before this mode's first call ended
            }
            String name = name(modes.get(i));
            double sampleSeconds = timed.median(i);
            int calls = timed.calls(i);
            out.printf(Locale.ROOT, "[%s] sampled %d clips in %.2f s (%s)%n", name, o.samples(), sampleSeconds,
                    calls == 1 ? "one call" : "median of " + calls + " calls");
            TrainResult r = results.get(i);
            reports.add(metrics.sprites(name, real, first[i])
                    .with("train steps", r.steps())
                    .with("train s/step", r.secondsPerStep())
                    .with("train s total", r.seconds())
                    .with("final loss (smoothed)", r.lastLoss())
                    .with("sample s (" + o.samples() + " clips, " + samplers[i].totalSteps() + " steps, median of "
                            + calls + ")", sampleSeconds)
                    .with("sample s/clip", sampleSeconds / o.samples()));
            writeGif(o, name, first[i], out);
        }
    }

    private static String name(BenchArm mode) {
        return switch (mode) {
            case VANILLA -> "vanilla";
            case TPDIFF_ALIGNED -> "tpdiff";
            case TPDIFF_UNALIGNED -> "tpdiff-noalign";
        };
    }

    private static void writeGif(Options o, String name, NDArray clips, PrintStream out) {
        try {
            Path dir = Path.of("build", "compare");
            tpdiff4j.schedule.AtomicFiles.write(dir.resolve(o.preset() + "-" + name + ".gif"), VideoFrames.gif(clips, 0, 4, 120));
        } catch (IOException e) {
            out.println("could not write GIF: " + e.getMessage());
        }
    }

    /**
     * Command line: {@code --preset quick|small [--model attention|tiny|small] [--steps N] [--seconds S] [--samples N]
     * [--unaligned] [--times uniform|logitnormal] [--stages K] [--quiet]}, in any order, each option at most once.
     */
    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("[compare] " + e.getMessage());
            System.err.println("[compare] usage: environment/compare " + USAGE);
            System.exit(2);
            return;
        }
        keepPreviousRun(Path.of("build", "compare"), o.preset(), System.out);
        int threads = Compute.configureFromEnvironment();
        long t0 = System.nanoTime();
        Result r = run(o, System.out);
        System.out.println();
        System.out.println("vanilla vs TPDiff, preset " + o.preset() + " (" + r.device() + ", " + threads + " thread(s)):");
        System.out.println(r.table());
        Path dir = Path.of("build", "compare");
        Path json = dir.resolve(o.preset() + ".json");
        tpdiff4j.schedule.AtomicFiles.writeString(json, r.toJson());
        System.out.printf(Locale.ROOT, "wrote %s and GIFs in %s; total %.1f s%n", json, dir, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Moves the files of an earlier run of the same preset ({@code <preset>.json} and {@code <preset>-*.gif} in
     * {@code dir}) to {@code dir/previous/}, replacing what an even earlier run left there, and says so on {@code out}:
     * a new run does not overwrite the last one's results without a word, and an interrupted run does not leave new
     * GIFs beside the old table. GIFs without their {@code <preset>.json} (a run interrupted before its table) are
     * deleted instead, so they do not replace the last complete run in {@code previous/}.
     *
     * @return the files moved (empty when there was no earlier run)
     */
    static List<Path> keepPreviousRun(Path dir, String preset, PrintStream out) throws IOException {
        List<Path> old = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (Files.isRegularFile(f) && (n.equals(preset + ".json") || n.startsWith(preset + "-") && n.endsWith(".gif"))) {
                        old.add(f);
                    }
                }
            }
        }
        if (old.isEmpty()) {
            return old;
        }
        if (!Files.exists(dir.resolve(preset + ".json"))) { // GIFs without their table: a run that was interrupted
            for (Path f : old) {
                Files.delete(f);
            }
            out.println("[compare] deleted " + old.size() + " GIFs of an interrupted " + preset + " run (no "
                    + preset + ".json); " + dir.resolve("previous") + "/ keeps the last complete run");
            return List.of();
        }
        Path previous = dir.resolve("previous");
        Files.createDirectories(previous);
        boolean replaced = false; // whether previous/ held an even earlier run of this preset
        try (var files = Files.list(previous)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.equals(preset + ".json") || n.startsWith(preset + "-") && n.endsWith(".gif")) {
                    Files.delete(f);
                    replaced = true;
                }
            }
        }
        List<Path> moved = new ArrayList<>();
        for (Path f : old) {
            moved.add(Files.move(f, previous.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING));
        }
        out.println("[compare] the earlier " + preset + " run's results (" + old.size() + " files) moved to " + previous
                + "/" + (replaced ? "; the run before that is gone" : ""));
        return moved;
    }

    /**
     * The options of a command line (see {@link #main}), in any order: the preset is applied first and every other
     * option on top of it, so {@code --model tiny --preset small} is the small preset with the tiny model. An option
     * given twice is refused (which of the two values was meant cannot be known).
     */
    static Options parse(String[] args) {
        java.util.Map<String, String> given = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String v = switch (flag) {
                case "--preset", "--model", "--steps", "--seconds", "--samples", "--times", "--stages" -> value(args, ++i, flag);
                case "--unaligned", "--quiet" -> "";
                default -> throw new IllegalArgumentException("unknown argument '" + flag + "'; usage: " + USAGE);
            };
            String before = given.putIfAbsent(flag, v);
            if (before != null) {
                throw new IllegalArgumentException(flag + " is given twice" + (v.isEmpty() ? "" : " ('" + before
                        + "' and '" + v + "')") + ": give it once");
            }
        }
        Options o = given.containsKey("--preset") ? Options.preset(given.get("--preset")) : Options.quick();
        for (java.util.Map.Entry<String, String> e : given.entrySet()) {
            String flag = e.getKey();
            String v = e.getValue();
            o = switch (flag) {
                case "--model" -> o.withModel(v);
                case "--steps" -> o.withSteps(Args.number(flag, v, "a whole number of steps", Long::parseLong));
                case "--seconds" -> o.withSeconds(Args.number(flag, v, "a number of seconds", Double::parseDouble));
                case "--samples" -> o.withSamples(Args.number(flag, v, "a whole number of clips", Integer::parseInt));
                case "--unaligned" -> o.withUnaligned(true);
                case "--times" -> o.withTimes(RaceTimes.named(v));
                case "--stages" -> o.withStages(Args.number(flag, v, "a whole number of stages", Integer::parseInt));
                case "--quiet" -> o.withProgress(false);
                default -> o; // --preset, applied above
            };
        }
        return o;
    }

    private static final String USAGE = "--preset quick|small [--model attention|tiny|small] [--steps N] [--seconds S]"
            + " [--samples N] [--unaligned] [--times uniform|logitnormal] [--stages K] [--quiet]";

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        if (args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value, but the next argument is the option " + args[i]);
        }
        return args[i];
    }
}

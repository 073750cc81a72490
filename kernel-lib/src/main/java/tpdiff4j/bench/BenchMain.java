package tpdiff4j.bench;

import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tpdiff4j.nn.Compute;
import tpdiff4j.nn.ModelConfig;

import tpdiff4j.train.Trainer;

/**
 * Runs the DJL benchmarks of {@code environment/bench} and writes their numbers to {@code out/measure.json} (after
 * every section,
 * so an interrupted run keeps what it measured): the step cost against frames ({@link ScalingBench}), the alignment
 * cost ({@link AlignBench}), the sampling latency ({@link SampleBench}) and the training comparison
 * ({@link TrainBench}). {@link ReportMain} then assembles the report.
 *
 * <p>Usage: {@code java -Dai.djl.offline=true -cp ... tpdiff4j.bench.BenchMain [preset=quick|full]
 * [model=attention|tiny|small] [times=uniform|logitnormal] [batch=N] [seeds=N] [stages=K] [deadline=EPOCH_SECONDS] [out=build/bench] [sections=scaling,align,sample,train] [--quiet]}. The headline model
 * (default: the preset's, full space-time attention) is trained to quality and sampled; the preset's factorized model
 * is the second row of the step-cost scan; {@code times} is how both arms of the training race draw
 * diffusion times ({@link RaceTimes}: the paper's uniform draw, or the named logit-normal option); {@code batch} and
 * {@code seeds} replace the preset's training batch size and number of training seeds (for a study of the batch
 * size, docs/levers.md; {@code environment/bench} passes neither); {@code stages} gives TPDiff's pyramid in the training
 * race K uniform stages instead of the paper's 3 (a named option, docs/levers.md; the sampling section keeps its fixed
 * configurations); {@code deadline} is
 * when the training section must be done for the whole run to keep its time plan (a retry of a slowed seed that would
 * end later is left out). PyTorch uses {@code TPDIFF4J_THREADS}
 * CPU threads (environment/bench passes 1 unless set; unset here, the physical cores) on {@code TPDIFF4J_DEVICE}.
 */
public final class BenchMain {

    static {
        tpdiff4j.ode.DjlNetwork.apply(); // usage reporting off, offline unless asked: before DJL starts
    }

    static final List<String> SECTIONS = List.of("scaling", "align", "sample", "train");

    private BenchMain() {
    }

    /** A command line of {@link #main}, checked: every value is known and in range before anything is measured. */
    record Options(Preset preset, String model, Path out, List<String> sections, boolean quiet, double deadline) {
    }

    /**
     * Reads a command line (see the class comment); a bad value, an unknown argument or an argument given twice is an
     * {@link IllegalArgumentException} naming it, the value and what it takes.
     */
    static Options parse(String[] args) {
        String presetName = "quick";
        Path out = Path.of("build/bench");
        List<String> sections = SECTIONS;
        boolean quiet = false;
        String model = null;
        RaceTimes times = RaceTimes.UNIFORM;
        double deadline = Double.NaN;
        int batch = 0, seeds = 0, stages = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String k = eq < 0 ? a : a.substring(0, eq), v = eq < 0 ? "" : a.substring(eq + 1);
            Args.once(seen, k);
            switch (k) {
                case "preset" -> presetName = Preset.named(v).name();
                case "model" -> {
                    Preset.quick().withModelSize(v); // refused here, before anything runs, when it is no model preset
                    model = v;
                }
                case "times" -> times = RaceTimes.named(v);
                case "batch" -> batch = positive("batch", v, "a whole number of clips, at least 1");
                case "seeds" -> seeds = positive("seeds", v, "a whole number of training seeds, at least 1");
                case "stages" -> stages = positive("stages", v, "a whole number of pyramid stages, at least 2");
                case "deadline" -> {
                    deadline = Args.number("deadline", v, "a time in seconds since 1970 (a positive number)",
                            Double::parseDouble);
                    if (!(deadline > 0) || Double.isInfinite(deadline)) {
                        throw new IllegalArgumentException("deadline = '" + v
                                + "'; allowed: a time in seconds since 1970 (a positive number)");
                    }
                }
                case "out" -> {
                    if (v.isEmpty()) {
                        throw new IllegalArgumentException("out = ''; allowed: a folder");
                    }
                    out = Path.of(v);
                }
                case "sections" -> {
                    sections = List.of(v.split(","));
                    for (String s : sections) {
                        if (!SECTIONS.contains(s)) {
                            throw new IllegalArgumentException("sections = '" + v + "'; allowed: a comma-separated list of "
                                    + SECTIONS + " (section '" + s + "' is none of them)");
                        }
                    }
                }
                case "--quiet" -> quiet = true;
                default -> throw new IllegalArgumentException("unknown argument '" + a
                        + "'; allowed: preset=quick|full, model=" + String.join("|", ModelConfig.PRESETS)
                        + ", times=uniform|logitnormal, batch=N, seeds=N, stages=K, deadline=EPOCH_SECONDS, out=DIR, sections=" + String.join(",", SECTIONS) + ", --quiet");
            }
        }
        Preset preset = Preset.named(presetName).withTimes(times);
        if (model != null) {
            preset = preset.withModelSize(model);
        }
        if (batch > 0) {
            preset = preset.withBatch(batch);
        }
        if (seeds > 0) {
            preset = preset.withSeeds(seeds);
        }
        if (stages > 0) {
            preset = preset.withStages(stages);
        }
        return new Options(preset, model, out, sections, quiet, deadline);
    }

    /** A whole number of at least 1, or an {@link IllegalArgumentException} naming the option, the value and {@code what}. */
    private static int positive(String option, String value, String what) {
        int n = Args.number(option, value, what, Integer::parseInt);
        if (n < 1) {
            throw new IllegalArgumentException(option + " = '" + value + "'; allowed: " + what);
        }
        return n;
    }

    public static void main(String[] args) throws IOException {
        Options o = Args.orExit("bench", () -> parse(args));
        Preset preset = o.preset();
        String model = o.model();
        Path out = o.out();
        List<String> sections = o.sections();
        boolean quiet = o.quiet();
        double deadline = o.deadline();
        PrintStream log = quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.out;
        int threads = Compute.configureFromEnvironment();
        Report r = new Report();
        r.meta("preset", preset.name());
        r.meta("sizes", preset.toJsonObject());
        JsonObject machine = Machine.describe();
        machine.addProperty("djl", Compute.describe());
        machine.addProperty("torchThreads", threads);
        // the heap options (-Xmx, -Xmn) change what a network call costs in a fresh JVM: SampleBench.WARM_UP_SECONDS
        machine.addProperty("jvmOptions", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
                .getInputArguments().stream().filter(a -> a.startsWith("-X")).toList()));
        r.meta("machine", machine);
        r.meta("model", model(preset));
        r.meta("factorizedModel", model(preset.factorizedRow()));
        r.meta("times", preset.times().label());
        r.meta("stageProbabilities", stageProbabilities(preset));
        r.meta("stages", new com.google.gson.JsonPrimitive(preset.stages()));
        log.println("[bench] " + Compute.describe() + "; preset " + preset.name() + "; model " + r.meta().get("model"));
        Path file = out.resolve("measure.json");
        r.write(file);
        for (String s : sections) {
            long t0 = System.nanoTime();
            switch (s) {
                case "scaling" -> ScalingBench.run(preset, r, log);
                case "align" -> AlignBench.run(preset, Bed.CHANNELS, Bed.SIZE, r, log);
                case "sample" -> SampleBench.run(preset, r, log);
                case "train" -> TrainBench.run(preset, r, log, quiet, deadline);
                default -> throw new IllegalStateException(s);
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            r.put("seconds." + s, sec);
            r.write(file);
            log.printf(Locale.ROOT, "[bench] section %s done in %.0f s%n", s, sec);
        }
    }

    /** The preset's model at the benchmark's frame count, with its parameter count. */
    static JsonObject model(Preset p) {
        ModelConfig mc = Bed.model(p, p.frames());
        JsonObject o = new JsonObject();
        o.addProperty("preset", p.modelSize());
        o.addProperty("parameters", 0);
        double ema;
        try (Trainer t = Bed.trainer(p, p.frames(), BenchArm.VANILLA, 1)) {
            o.addProperty("parameters", t.model().namedParameters().values().stream()
                    .mapToLong((Parameter x) -> x.getArray().size()).sum());
            ema = t.config().emaDecay();
        }
        o.addProperty("config", String.format(Locale.ROOT, "patch %d, width %d, depth %d, heads %d, MLP x%d, %s attention, %s",
                mc.patch(), mc.dim(), mc.depth(), mc.heads(), mc.mlpRatio(), mc.attention(), mc.conditioning()));
        o.addProperty("data", p.frames() + " frames of 16x16 grayscale sprite videos (bouncing discs and squares)");
        o.addProperty("diffusion", "flow matching, velocity prediction, Euler sampler; TPDiff K = " + p.stages() + " uniform stages; "
                + "training draws " + p.times().describe());
        o.addProperty("training", String.format(java.util.Locale.ROOT, "batch %d, AdamW learning rate %s for every arm, "
                + "EMA %s", p.batch(), plain(p.learningRate()), plain(ema)));
        return o;
    }

    /** TPDiff's stage-draw probabilities in the training race (stage 0, the lowest frame rate, first). */
    static com.google.gson.JsonArray stageProbabilities(Preset p) {
        tpdiff4j.train.TrainConfig c = Bed.raceConfig(p, BenchArm.TPDIFF_ALIGNED);
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        for (double w : c.stageDraw().probabilities(c.pyramid())) {
            a.add(w);
        }
        return a;
    }

    /** A decimal without exponent or trailing zeros (0.002, 0.999). */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}

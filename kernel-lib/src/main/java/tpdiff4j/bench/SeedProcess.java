package tpdiff4j.bench;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tpdiff4j.Refusals;
import tpdiff4j.experiment.QualityCurve;
import tpdiff4j.nn.Compute;

/**
 * Trains one seed of the training section ({@link TrainBench#trainSeed}) in a JVM of its own, or in one JVM per arm,
 * and reads its runs back.
 *
 * <p>Why: on the project's 2-core virtual machine, a long-lived training process sometimes turns slow at a random
 * moment and stays slow: a vanilla step takes 2x longer, nearly all of the extra time in writing the attention
 * softmax's output, without a page fault the guest kernel sees, while a process started at the same moment computes
 * the same step at full speed. Such a seed's vanilla reaches a worse quality in its budget, which makes TPDiff's
 * to-quality ratios look better than they are. A fresh process per seed keeps every seed's process young, and a
 * seed whose run shows the slowdown anyway ({@link #slowdown}) is trained once more in another fresh process. A
 * slowdown of the same size can also hit the whole machine: with the arms in parallel, both arms' processes once turned
 * 2x slower at the same moment and stayed slow.
 *
 * <p>One JVM per arm ({@link Preset#armsInParallel()}): the arms of a seed then train at the same time instead of
 * taking turns, each on a core of its own (one PyTorch thread each), so a seed takes one budget of wall-clock instead
 * of one per arm. That is what lets the full preset give each run a budget long enough for vanilla's curve to flatten
 * within the report's 40 minutes on 2 cores. Side by side still holds, in time rather than in turns: the children
 * meet at every evaluation ({@link EvaluationBarrier}), so their slices start together and a change of the machine's
 * load during a slice hits both arms. Two busy cores share the caches and the memory bus, so a step is slower than with
 * the other core idle (measured on this machine: vanilla 5-15 %, TPDiff 5-30 %), and the step-time ratio measured
 * this way can differ from one measured in turns; the report's step-cost scan, which times the arms in turns in one
 * process, is the cross-check, and the steps- and FLOPs-to-quality ratios do not depend on it.
 *
 * <p>The child gets the parent's JVM options, class path and environment, the preset as JSON, the seed and its arms;
 * it writes their runs as JSON (the file is the only channel back; its log goes to the parent's standard output).
 */
final class SeedProcess {

    /** A run whose steps got this much slower from one evaluation slice to another ran in a slowed-down process. */
    static final double SLOW_SLICE = 1.25;

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private SeedProcess() {
    }

    /** The options of a child's command line after its preset, seed and output file. */
    record ChildOptions(List<BenchArm> arms, Path barrierDir, boolean quiet) {
    }

    /** Reads the options of {@link #main}'s command line; a bad one is refused by name, value and what is allowed. */
    static ChildOptions childOptions(String[] args) {
        if (args.length < 4) {
            throw Refusals.refuse("arguments", args.length,
                    "at least 4, as in the usage SeedProcess PRESET_JSON_FILE SEED OUT_JSON_FILE --arms=A,B,.. "
                    + "[--barrier=DIR] [--quiet]");
        }
        List<BenchArm> arms = null;
        Path barrierDir = null;
        boolean quiet = false;
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--quiet")) {
                quiet = true;
            } else if (args[i].startsWith("--barrier=")) {
                barrierDir = Path.of(args[i].substring("--barrier=".length()));
            } else if (args[i].startsWith("--arms=")) {
                List<BenchArm> named = new java.util.ArrayList<>();
                for (String n : args[i].substring("--arms=".length()).split(",")) {
                    try {
                        named.add(BenchArm.valueOf(n));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--arms = '" + n + "'; allowed: arm names from "
                                + java.util.Arrays.toString(BenchArm.values()));
                    }
                }
                arms = List.copyOf(named);
            } else {
                throw new IllegalArgumentException("argument " + (i + 1) + " = '" + args[i] + "'; allowed: --arms=A,B,.., --barrier=DIR or --quiet");
            }
        }
        if (arms == null || arms.isEmpty()) {
            throw new IllegalArgumentException("--arms = missing; allowed: --arms=A,B,.. naming arms from "
                    + java.util.Arrays.toString(BenchArm.values()));
        }
        return new ChildOptions(arms, barrierDir, quiet);
    }

    /**
     * Child entry point: {@code SeedProcess PRESET_JSON_FILE SEED OUT_JSON_FILE --arms=A,B,.. [--barrier=DIR] [--quiet]},
     * where the arms are {@link BenchArm} names (trained round robin when there are several) and DIR is the directory of
     * the {@link EvaluationBarrier} shared with the children training the preset's other arms at the same time.
     */
    public static void main(String[] args) throws IOException {
        exitWithParent();
        tpdiff4j.ode.DjlNetwork.apply();
        ChildOptions c = childOptions(args);
        Preset p = GSON.fromJson(Files.readString(Path.of(args[0])), Preset.class);
        long seed = Long.parseLong(args[1]);
        List<BenchArm> arms = c.arms();
        Path barrierDir = c.barrierDir();
        boolean quiet = c.quiet();
        EvaluationBarrier barrier = barrierDir == null ? null : new EvaluationBarrier(barrierDir,
                String.join("+", arms.stream().map(Enum::name).toList()), children(p).size(), EvaluationBarrier.TIMEOUT_MILLIS);
        PrintStream log = quiet ? new PrintStream(java.io.OutputStream.nullOutputStream()) : System.out;
        Compute.configureFromEnvironment();
        Map<BenchArm, TrainBench.Run> runs;
        try (NDManager m = Compute.newManager()) {
            double[][] real = Bed.realFeatures(Bed.data(p.frames()), m, p.realClips(), TrainBench.REAL_SEED);
            runs = TrainBench.trainSeed(p, seed, arms, barrier, real, m, log);
        } finally {
            if (barrier != null) {
                barrier.leave(); // an arm that stopped early (a non-finite loss) must not keep the others waiting
            }
        }
        tpdiff4j.schedule.AtomicFiles.writeString(Path.of(args[2]), toJson(runs).toString());
        log.flush();
        System.exit(0); // PyTorch's threads must not keep the child alive
    }

    /**
     * Trains {@code seed} in fresh JVMs and returns its runs: one JVM that trains the preset's arms round robin, or, when
     * {@link Preset#armsInParallel()}, one JVM per arm, all started at once (each runs PyTorch on its own core).
     *
     * @throws IllegalStateException when a child fails (its exit code and log tail are in the message); the other
     *     children are stopped
     */
    static Map<BenchArm, TrainBench.Run> run(Preset p, long seed, boolean quiet) {
        List<Child> children = new ArrayList<>();
        List<List<BenchArm>> groups = children(p);
        Path barrier = null;
        try {
            barrier = groups.size() > 1 ? Files.createTempDirectory("tpdiff4j-barrier") : null;
            for (List<BenchArm> g : groups) {
                children.add(Child.start(p, seed, g, barrier, quiet));
            }
            // a child that fails while the others wait for it at the barrier fails the seed at once
            while (children.stream().anyMatch(c -> c.process().isAlive())) {
                for (Child c : children) {
                    if (!c.process().isAlive() && c.process().exitValue() != 0) {
                        c.await(); // throws, with the child's exit code and log tail
                    }
                }
                Thread.sleep(200);
            }
            Map<BenchArm, TrainBench.Run> runs = new EnumMap<>(BenchArm.class);
            for (Child c : children) {
                runs.putAll(c.await());
            }
            return runs;
        } catch (IOException e) {
            throw new IllegalStateException("training seed " + seed + ": cannot create the barrier directory: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seed " + seed + " trained in processes of its own", e);
        } finally {
            children.forEach(Child::discard);
            Child.delete(barrier);
        }
    }

    /**
     * Ends this JVM when the process that started it ends, whatever ended it: a seed's child trains for minutes, and
     * once its parent is gone (interrupted, killed, crashed) nobody reads its runs, so it would only take a core from
     * whatever runs next. The parent's own clean-up ({@code discard}) covers its exceptions, not a signal that ends it;
     * this covers both. The parent is watched by the JDK's process handle (polled for a process that is not one's
     * own child); the exit code is {@link #PARENT_GONE}.
     */
    static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("[bench] the process that started this one (pid " + parent.pid() + ") ended: stopping");
            Runtime.getRuntime().halt(PARENT_GONE);
        }));
    }

    /** Exit code of a child whose parent ended first ({@link #exitWithParent}). */
    static final int PARENT_GONE = 3;

    /** The executable of the JVM this runs in, for starting a child JVM like it. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The arms of each child: one child with all the preset's arms, or with the arms in parallel one child per arm. */
    static List<List<BenchArm>> children(Preset p) {
        List<BenchArm> arms = TrainBench.modes(p);
        return p.armsInParallel() ? arms.stream().map(List::of).toList() : List.of(arms);
    }

    /** A child JVM training some arms of one seed, with its temporary directory (preset in, runs out, standard error). */
    private record Child(long seed, List<BenchArm> arms, Process process, Path dir) {

        static Child start(Preset p, long seed, List<BenchArm> arms, Path barrier, boolean quiet) {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("tpdiff4j-seed");
                Path preset = dir.resolve("preset.json");
                tpdiff4j.schedule.AtomicFiles.writeString(preset, GSON.toJson(p));
                List<String> cmd = new ArrayList<>();
                cmd.add(javaExecutable());
                cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
                cmd.add("-cp");
                cmd.add(System.getProperty("java.class.path"));
                cmd.add(SeedProcess.class.getName());
                cmd.add(preset.toString());
                cmd.add(Long.toString(seed));
                cmd.add(dir.resolve("runs.json").toString());
                cmd.add("--arms=" + String.join(",", arms.stream().map(Enum::name).toList()));
                if (barrier != null) {
                    cmd.add("--barrier=" + barrier);
                }
                if (quiet) {
                    cmd.add("--quiet");
                }
                Process process = new ProcessBuilder(cmd)
                        .redirectOutput(quiet ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.INHERIT)
                        .redirectError(dir.resolve("stderr.txt").toFile()).start();
                return new Child(seed, arms, process, dir);
            } catch (IOException e) {
                delete(dir);
                throw new IllegalStateException("training seed " + seed + " (" + arms + ") in its own process: " + e.getMessage(), e);
            }
        }

        /** Waits for the child and reads its runs. */
        Map<BenchArm, TrainBench.Run> await() {
            try {
                int code = process.waitFor();
                Path out = dir.resolve("runs.json"), err = dir.resolve("stderr.txt");
                if (code != 0 || !Files.exists(out)) {
                    String tail = Files.exists(err) ? Files.readString(err) : "";
                    tail = tail.length() > 2000 ? tail.substring(tail.length() - 2000) : tail;
                    throw new IllegalStateException("training seed " + seed + " (" + arms + ") in its own process failed (exit code "
                            + code + "); its standard error ends with:\n" + tail);
                }
                return fromJson(com.google.gson.JsonParser.parseString(Files.readString(out)).getAsJsonArray());
            } catch (IOException e) {
                throw new IllegalStateException("training seed " + seed + " (" + arms + ") in its own process: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while seed " + seed + " (" + arms + ") trained in its own process", e);
            }
        }

        /** Stops the child if it still runs and deletes its directory. */
        void discard() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            delete(dir);
        }

        static void delete(Path dir) {
            if (dir == null) {
                return;
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }

    /**
     * How much slower the run's slowest evaluation slice was than its fastest, in seconds per step; the first slice is
     * left out (it holds the JIT's warm-up). 1 for a run at constant speed; NaN with fewer than two later slices.
     */
    static double slowdown(QualityCurve c) {
        List<QualityCurve.Point> pts = c.points();
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        int n = 0;
        for (int i = 2; i < pts.size(); i++) {
            long steps = pts.get(i).steps() - pts.get(i - 1).steps();
            if (steps <= 0) {
                continue;
            }
            double perStep = (pts.get(i).seconds() - pts.get(i - 1).seconds()) / steps;
            lo = Math.min(lo, perStep);
            hi = Math.max(hi, perStep);
            n++;
        }
        return n < 2 ? Double.NaN : hi / lo;
    }

    /** Whether any arm of the seed slowed down during its run ({@link #slowdown} above {@link #SLOW_SLICE}). */
    static boolean slowed(Map<BenchArm, TrainBench.Run> runs) {
        return runs.values().stream().anyMatch(r -> slowdown(r.curve()) > SLOW_SLICE);
    }

    static JsonArray toJson(Map<BenchArm, TrainBench.Run> runs) {
        JsonArray a = new JsonArray();
        runs.values().forEach(r -> a.add(GSON.toJsonTree(r)));
        return a;
    }

    static Map<BenchArm, TrainBench.Run> fromJson(JsonArray a) {
        Map<BenchArm, TrainBench.Run> runs = new EnumMap<>(BenchArm.class);
        for (JsonElement e : a) {
            TrainBench.Run r = GSON.fromJson(e, TrainBench.Run.class);
            runs.put(r.mode(), r);
        }
        return runs;
    }
}

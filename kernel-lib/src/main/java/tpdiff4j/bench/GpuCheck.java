package tpdiff4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tpdiff4j.nn.Compute;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.Trainer;

/**
 * The GPU check behind {@code environment/gpu-check}: trains a few TPDiff steps and samples with the benchmark's
 * model (the quick preset: 16 frames of 16x16 sprites, batch 8) on {@link Compute#device()}, then the same on the
 * CPU, and prints the device and the median step and sampling times side by side.
 *
 * <p>{@code java ... tpdiff4j.bench.GpuCheck [steps=10] [cpuSteps=3] [--no-cpu] [--probe]}. Exit status: 0 when the
 * weights and the samples live on a GPU; 1 when the device is not a GPU (the knob says
 * cpu, DJL sees no GPU, or the CPU build of PyTorch is loaded) or any of those tensors is not on it; 2 for a bad
 * argument. {@code --probe} only loads the engine and prints what DJL sees (status 0 with a GPU, else 1); the GPU
 * set-up uses it to fetch and check the CUDA build once.
 */
public final class GpuCheck {

    static final long SEED = 17;
    static final int SAMPLE_BATCH = 16;

    private GpuCheck() {
    }

    /** Median milliseconds of one training step and of one vanilla and one TPDiff sampling run. */
    record Times(Device device, double stepMs, double vanillaMs, double tpdiffMs, boolean onDevice) {
    }

    /** The value of {@code steps=N} or {@code cpuSteps=N}; a bad one ends the program with status 2, naming it. */
    private static int stepsArgument(String name, String value) {
        try {
            return positiveSteps(name, value);
        } catch (IllegalArgumentException e) {
            System.err.println("[gpu-check] " + e.getMessage());
            System.exit(2);
            return 0;
        }
    }

    /** {@code value} as a number of steps: a whole number, at least 1, or an exception naming {@code name}. */
    static int positiveSteps(String name, String value) {
        int n = Args.number(name, value, "a whole number of steps, at least 1", Integer::parseInt);
        if (n < 1) {
            throw new IllegalArgumentException(name + " = '" + value + "'; allowed: a whole number of steps, at least 1");
        }
        return n;
    }

    public static void main(String[] args) {
        int steps = 10;
        int cpuSteps = 3;
        boolean cpu = true;
        boolean probe = false;
        for (String a : args) {
            if (a.startsWith("steps=")) {
                steps = stepsArgument("steps", a.substring(6));
            } else if (a.startsWith("cpuSteps=")) {
                cpuSteps = stepsArgument("cpuSteps", a.substring(9));
            } else if (a.equals("--no-cpu")) {
                cpu = false;
            } else if (a.equals("--probe")) {
                probe = true;
            } else {
                System.err.println("[gpu-check] unknown argument '" + a + "'; allowed: steps=N cpuSteps=N --no-cpu --probe");
                System.exit(2);
            }
        }
        Engine e;
        try {
            e = Engine.getInstance();
        } catch (RuntimeException | LinkageError ex) {
            System.out.println("[gpu-check] FAILED: the PyTorch engine did not load: " + rootCause(ex));
            System.exit(1);
            return;
        }
        System.out.println("[gpu-check] DJL " + e.getEngineName() + " " + e.getVersion() + " from "
                + ai.djl.pytorch.jni.LibUtils.getLibtorchPath() + ", " + e.getGpuCount() + " GPU(s) seen, TPDIFF4J_DEVICE "
                + (tpdiff4j.ode.DeviceKnob.setting() == null ? "auto" : tpdiff4j.ode.DeviceKnob.setting()));
        if (probe) {
            System.exit(e.getGpuCount() > 0 ? 0 : 1);
        }
        Device device;
        try {
            device = Compute.device();
        } catch (IllegalStateException | IllegalArgumentException ex) {
            System.out.println("[gpu-check] FAILED: " + ex.getMessage());
            System.exit(1);
            return;
        }
        if (!device.isGpu()) {
            System.out.println("[gpu-check] FAILED: the device is " + device + ", not a GPU (DJL sees " + e.getGpuCount()
                    + " GPUs); run environment/setup --gpu on a machine with an NVIDIA driver, then this check again");
            System.exit(1);
        }
        Compute.configureFromEnvironment();
        Times gpu = measure(device, steps, 3, SAMPLE_BATCH);
        List<Times> rows = new ArrayList<>(List.of(gpu));
        if (cpu) {
            rows.add(measure(Device.cpu(), cpuSteps, 3, SAMPLE_BATCH)); // the comparison: the CPU on purpose
        }
        System.out.println(table(rows));
        if (!gpu.onDevice()) {
            System.out.println("[gpu-check] FAILED: some weights or samples were not on " + device);
            System.exit(1);
        }
        System.out.println("[gpu-check] OK: weights and samples on " + device);
    }

    /**
     * Trains {@code steps} timed steps (after 2 untimed) and runs each sampler {@code reps} timed times (after 1
     * untimed) on {@code clips} clips, on {@code device}; also reports whether the weights and a sample were on it.
     */
    static Times measure(Device device, int steps, int reps, int clips) {
        int f = Preset.quick().frames();
        TrainConfig c = BenchArm.TPDIFF_ALIGNED.config(f, SEED).withBatchSize(Preset.quick().batch());
        try (Trainer tr = Trainer.builder().withModel(Bed.model(Preset.quick(), f)).withConfig(c).withData(Bed.data(f))
                .withDevice(device).withProgress(false).build()) {
            boolean on = tr.model().device().equals(device);
            double step = Stats.median(Timing.millis(tr::step, 2, steps)); // the loss read-back synchronises
            try (NDManager m = tr.manager().newSubManager()) {
                VideoSampler vanilla = Bed.sampler(f, 30);
                VideoSampler tpdiff = Bed.sampler(f, 10, 10, 10);
                Denoiser any = tr.denoiser().withAnyPyramid(); // timing: vanilla's 30 calls run on the TPDiff network too
                double[] v = Timing.millis(() -> Bed.sampleOnce(vanilla, any, m, f, clips, SEED), 1, reps);
                double[] t = Timing.millis(() -> Bed.sampleOnce(tpdiff, tr.denoiser(), m, f, clips, SEED), 1, reps);
                try (NDManager sub = m.newSubManager()) {
                    on &= tpdiff.sample(tr.denoiser(), sub, new Shape(1, f, Bed.CHANNELS, Bed.SIZE, Bed.SIZE), SEED)
                            .getDevice().equals(device);
                }
                System.out.printf(Locale.ROOT, "[gpu-check] %s: %d training steps, %d sampling runs%n", device, steps + 2,
                        2 * (reps + 1) + 1);
                return new Times(device, step, Stats.median(v), Stats.median(t), on);
            }
        }
    }

    private static String rootCause(Throwable t) {
        String chain = String.valueOf(t.getMessage());
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            chain += " <- " + c;
        }
        return chain.split("\n")[0];
    }


    static String table(List<Times> rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-34s", "median ms"));
        for (Times r : rows) {
            b.append(String.format(Locale.ROOT, "%14s", r.device()));
        }
        b.append(rows.size() > 1 ? String.format(Locale.ROOT, "%14s%n", "cpu / gpu") : "\n");
        line(b, "train step (TPDiff, batch 8)", rows, Times::stepMs);
        line(b, "sample vanilla 30 steps, 16 clips", rows, Times::vanillaMs);
        line(b, "sample TPDiff 10/10/10, 16 clips", rows, Times::tpdiffMs);
        return b.toString();
    }

    private static void line(StringBuilder b, String name, List<Times> rows, java.util.function.ToDoubleFunction<Times> f) {
        b.append(String.format(Locale.ROOT, "%-34s", name));
        for (Times r : rows) {
            b.append(String.format(Locale.ROOT, "%14.1f", f.applyAsDouble(r)));
        }
        if (rows.size() > 1) {
            b.append(String.format(Locale.ROOT, "%14.2f", f.applyAsDouble(rows.get(1)) / f.applyAsDouble(rows.get(0))));
        }
        b.append('\n');
    }
}

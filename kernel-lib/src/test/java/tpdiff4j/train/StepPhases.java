package tpdiff4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.GaussianNoise;

/**
 * Profiler, not a test ({@code FusedUpdateTest} uses its per-parameter update as the reference): times each phase
 * of a training step (data, pairs, forward + loss, backward, gradient norm and clip, AdamW, zeroing, EMA, closing
 * the step's arrays) with {@link System#nanoTime}, replaying {@code Trainer.step} phase by phase on a trainer's own
 * network, optimizer and EMA, with the fused update or with the per-parameter loop the trainer had before. Runs
 * the configurations round robin in one process so that their phases are compared under the same machine load.
 * <pre>
 * java -cp kernel-lib/target/classes:kernel-lib/target/test-classes:kernel-lib/target/lib/* \
 *     tpdiff4j.train.StepPhases [STEPS, default 200] [WARMUP, default 20]
 * </pre>
 */
final class StepPhases {

    static final String[] PHASES = {"data", "pairs", "forward", "backward", "norm+clip", "adamw", "zero", "ema",
        "close"};

    private final String label;
    private final Trainer trainer;
    private final boolean fused;
    private final ParameterVector vector;
    private final PyramidPairs pairs;
    private final ParameterStore store;
    private final double[] sums = new double[PHASES.length];
    private double total;
    private long count;
    private long step;

    /** Replays {@code trainer}'s steps (from its step 0), fused as {@code Trainer.step} or per parameter as before. */
    StepPhases(String label, Trainer trainer, boolean fused) {
        this.label = label;
        this.trainer = trainer;
        this.fused = fused;
        this.vector = new ParameterVector(trainer.model().namedParameters(), trainer.manager());
        this.pairs = PyramidPairs.of(trainer.config());
        this.store = new ParameterStore(trainer.manager(), false);
    }

    static StepPhases of(String label, int frames, int stages, boolean fused) {
        SpriteVideos data = SpriteVideos.builder().withFrames(frames).withSize(16).build();
        TrainConfig cfg = TrainConfig.flowMatching(stages, frames, 7).withBatchSize(8);
        Trainer t = Trainer.builder().withModel(ModelConfig.attention(frames, 1, 16, 16)).withConfig(cfg)
                .withData(data).withProgress(false).build();
        return new StepPhases(label + (fused ? " fused" : " perParam"), t, fused);
    }

    /** One step as {@code Trainer.step} does it, the time of each phase added to the sums when {@code record}. */
    void step(boolean record) {
        long[] t = new long[PHASES.length + 1];
        int i = 0;
        long s = step++;
        TrainConfig config = trainer.config();
        Map<String, Parameter> params = trainer.model().namedParameters();
        t[i++] = System.nanoTime();
        NDScope scope = new NDScope();
        NDManager sub = trainer.manager().newSubManager();
        SplittableRandom rng = new SplittableRandom(GaussianNoise.derive(config.seed(), s));
        NDArray x0 = trainer.data().batch(sub, config.batchSize(), rng.nextLong());
        t[i++] = System.nanoTime();
        TrainBatch pair = pairs.make(x0, rng, sub);
        t[i++] = System.nanoTime();
        NDArray lossArray;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray pred = trainer.model().block().forward(store, new NDList(pair.xt(), pair.t(),
                    trainer.model().positions(sub, pair.frames())), true).singletonOrThrow();
            lossArray = pred.sub(pair.target()).square().mean();
            lossArray.getFloat();
            t[i++] = System.nanoTime();
            gc.backward(lossArray);
        }
        t[i++] = System.nanoTime();
        if (fused) {
            NDArray g = vector.gradients(sub);
            trainer.clipGradients(g);
            t[i++] = System.nanoTime();
            vector.subtract(trainer.optimizer().step(vector.weights(sub), g));
            t[i++] = System.nanoTime();
            vector.zeroGradients();
            t[i++] = System.nanoTime();
            trainer.ema().update(s + 1);
        } else {
            perParameterUpdate(s + 1, params, sub, t, i);
            i += 3;
        }
        t[i++] = System.nanoTime();
        sub.close();
        scope.close();
        t[i] = System.nanoTime();
        if (record) {
            for (int k = 0; k < PHASES.length; k++) {
                sums[k] += (t[k + 1] - t[k]) / 1e6;
            }
            total += (t[PHASES.length] - t[0]) / 1e6;
            count++;
        }
    }

    /** The update as the trainer did it per parameter before {@link ParameterVector}: norm, clip, AdamW, zero, EMA. */
    void perParameterUpdate(long n, Map<String, Parameter> params, NDManager sub, long[] t, int i) {
        TrainConfig config = trainer.config();
        Map<String, NDArray> grads = new LinkedHashMap<>();
        double sq = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray g = e.getValue().getArray().getGradient();
            g.attach(sub);
            grads.put(e.getKey(), g);
            sq += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        float scale = config.clipNorm() > 0 && norm > config.clipNorm() ? (float) (config.clipNorm() / norm) : 1f;
        if (scale != 1f) {
            grads.values().forEach(g -> g.muli(scale));
        }
        t[i++] = System.nanoTime();
        params.forEach((k, p) -> trainer.optimizer().update(k, p.getArray(), grads.get(k)));
        t[i++] = System.nanoTime();
        grads.values().forEach(g -> g.subi(g));
        t[i] = System.nanoTime();
        float d = (float) Math.min(config.emaDecay(), (1.0 + n) / (10.0 + n));
        Map<String, NDArray> shadow = trainer.ema().arrays();
        params.forEach((k, p) -> shadow.get(k).muli(d).addi(p.getArray().mul(1 - d)));
    }

    String row() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-18s %7.2f", label, total / count));
        double overhead = total;
        for (int k = 0; k < PHASES.length; k++) {
            b.append(String.format(Locale.ROOT, " %9.3f", sums[k] / count));
            if (PHASES[k].equals("forward") || PHASES[k].equals("backward")) {
                overhead -= sums[k];
            }
        }
        return b.append(String.format(Locale.ROOT, " | %7.2f", overhead / count)).toString();
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        tpdiff4j.nn.Compute.useThreads(1);
        List<StepPhases> runs = new ArrayList<>();
        for (boolean fused : new boolean[] {false, true}) {
            runs.addAll(List.of(of("F4", 4, 1, fused), of("F16", 16, 1, fused), of("F16 K=3", 16, 3, fused)));
        }
        for (int n = 0; n < warmup + steps; n++) {
            for (StepPhases r : runs) {
                r.step(n >= warmup);
            }
        }
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-18s %7s", "ms/step", "total"));
        for (String p : PHASES) {
            h.append(String.format(Locale.ROOT, " %9s", p));
        }
        System.out.println(h.append(" | non-net"));
        runs.forEach(r -> System.out.println(r.row()));
        System.out.println("parameters: " + runs.get(0).trainer.model().namedParameters().size() + " tensors, "
                + runs.get(0).trainer.model().weightCount() + " weights");
        runs.forEach(r -> r.trainer.close());
    }
}

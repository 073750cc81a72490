package tpdiff4j.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import tpdiff4j.Refusals;
import tpdiff4j.ode.StepListener;

/**
 * The same sample seen at every stage of a pyramid run: a {@link StepListener} that keeps, for one clip of the
 * batch, the model's clean-data estimate {@code x0Hat} at the last solver step of each stage, i.e. the clip as the
 * stage sees it at its own frame rate (F_k frames; stage 0 first). A new stage is recognised by the solver
 * restarting at step 0 (one solver run per stage, {@code PyramidSampler}); for a vanilla run there is one entry.
 * Where the model gives no x0Hat the state x itself is kept.
 *
 * <pre>{@code
 * StageSnapshots snaps = new StageSnapshots(0);
 * NDArray clips = sampler.withListener(snaps).sample(model, manager, 8, spec, 42);
 * Video.stages(snaps.clips())      // stage 0 (4 frames), stage 1 (8), stage 2 (16) on one time axis
 * }</pre>
 * Values are copied out of the solver's per-step arrays (which close after the step), so nothing leaks. It holds the
 * latest run: a run starts again at no more frames than the last stage seen (frames rise from stage to stage), so a
 * second {@code sample} call with the same listener replaces the stages of the first instead of adding to them.
 */
public final class StageSnapshots implements StepListener {

    private final int index;
    private final List<float[][][][]> clips = new ArrayList<>();
    private final List<Double> times = new ArrayList<>();

    /** Keeps clip {@code index} of the batch (0-based). */
    public StageSnapshots(int index) {
        if (index < 0) {
            throw Refusals.refuse("index", index, ">= 0 (a clip of the batch)");
        }
        this.index = index;
    }

    @Override
    public void onStep(int step, double t, NDArray x, NDArray x0Hat) {
        NDArray a = x0Hat != null ? x0Hat : x;
        long[] s = a.getShape().getShape();
        if (s.length != 5) {
            throw new IllegalArgumentException("state has shape " + a.getShape() + "; allowed: [B, F, C, H, W]");
        }
        if (index >= s[0]) {
            throw Refusals.refuse("index", index, "0 .. " + (s[0] - 1) + ", a clip of the batch of " + s[0]
                    + (s[0] == 1 ? " clip" : " clips") + " this sampler draws (new StageSnapshots(0) keeps the first)");
        }
        int f = (int) s[1], c = (int) s[2], h = (int) s[3], w = (int) s[4];
        if (step == 0 && !clips.isEmpty() && f <= clips.get(clips.size() - 1).length) {
            clips.clear(); // frames rise from stage to stage: no more frames than the last stage means a new run
            times.clear();
        }
        if (step == 0 || clips.isEmpty()) {
            clips.add(null);
            times.add(t);
        }
        float[] v;
        try (NDArray one = a.get(index); NDArray f32 = one.toType(DataType.FLOAT32, true)) {
            v = f32.toFloatArray();
        }
        float[][][][] clip = new float[f][c][h][w];
        int p = 0;
        for (int i = 0; i < f; i++) {
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(v, p, clip[i][k][y], 0, w);
                    p += w;
                }
            }
        }
        clips.set(clips.size() - 1, clip);
        times.set(times.size() - 1, t);
    }

    /**
     * Per stage (sampling order) the clip {@code float[F_k][C][H][W]} at the stage's last step. A read-only list whose
     * {@code get(k)} refuses a stage the run did not have with the stages it did: {@code stage = 3; allowed: 0 .. 2
     * (the stages of the last run, sampling order)}, or that no run has been seen yet.
     */
    public List<float[][][][]> clips() {
        return new java.util.AbstractList<>() {
            @Override
            public float[][][][] get(int stage) {
                return clips.get(checkStage(stage));
            }

            @Override
            public int size() {
                return clips.size();
            }
        };
    }

    /** {@code stage} when the last run had it; else an {@link IndexOutOfBoundsException} naming the stages it had. */
    private int checkStage(int stage) {
        if (stage >= 0 && stage < clips.size()) {
            return stage;
        }
        throw new IndexOutOfBoundsException("stage = " + stage + "; allowed: " + (clips.isEmpty()
                ? "none yet: no step has been seen; pass this listener to a sampler (withListener) and sample first"
                : "0 .. " + (clips.size() - 1) + " (the " + clips.size() + (clips.size() == 1 ? " stage" : " stages")
                + " of the last run, sampling order)"));
    }

    /** Per stage the time of the step each snapshot was taken at (the start of the stage's last step). */
    public double[] times() {
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Frame count per stage. */
    public int[] frames() {
        return clips.stream().mapToInt(c -> c.length).toArray();
    }
}

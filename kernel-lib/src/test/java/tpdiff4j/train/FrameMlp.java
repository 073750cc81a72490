package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Set;
import java.util.TreeSet;
import tpdiff4j.nn.StageNetwork;

/**
 * A test network of one's own as a user writes it: an MLP applied to every frame (its C x H x W values) with a learned
 * time embedding added to the hidden layer, and the clip's mean over frames as a second input, so frames see each
 * other. Nothing depends on the frame count, so every pyramid stage works; the block records the frame counts it was
 * given.
 */
public final class FrameMlp extends AbstractBlock {

    static final int HIDDEN = 32;
    final int values;
    final Block in;
    final Block clip;
    final Block time;
    final Block out;
    /** Frame counts seen in forward passes. */
    public final Set<Long> framesSeen = new TreeSet<>();

    FrameMlp(int values) {
        this.values = values;
        in = addChildBlock("in", Linear.builder().setUnits(HIDDEN).build());
        clip = addChildBlock("clip", Linear.builder().setUnits(HIDDEN).optBias(false).build());
        time = addChildBlock("time", Linear.builder().setUnits(HIDDEN).build());
        out = addChildBlock("out", Linear.builder().setUnits(values).build());
    }

    /** An initialised network for clips of {@code frames} frames 1 x 16 x 16; the same weights for the same seed. */
    public static StageNetwork network(NDManager m, int frames, int seed) {
        ai.djl.engine.Engine.getInstance().setRandomSeed(seed); // DJL's initialisers draw from the engine's generator
        FrameMlp block = new FrameMlp(256);
        block.initialize(m, DataType.FLOAT32, new Shape(1, frames, 1, 16, 16), new Shape(1), new Shape(frames));
        return StageNetwork.of("frame-mlp", block, frames);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0), t = inputs.get(1);
        Shape s = x.getShape();
        long b = s.get(0), f = s.get(1);
        framesSeen.add(f);
        NDArray frames = x.reshape(b, f, values);                      // [B, F_k, CHW]
        NDArray h = in.forward(ps, new NDList(frames), training).singletonOrThrow()
                .add(clip.forward(ps, new NDList(frames.mean(new int[] {1}, true)), training).singletonOrThrow())
                .add(time.forward(ps, new NDList(t.reshape(b, 1, 1)), training).singletonOrThrow());
        NDArray y = out.forward(ps, new NDList(Activation.relu(h)), training).singletonOrThrow();
        return new NDList(y.reshape(s));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return new Shape[] {in[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType type, Shape... shapes) {
        in.initialize(m, type, new Shape(1, 1, values));
        clip.initialize(m, type, new Shape(1, 1, values));
        time.initialize(m, type, new Shape(1, 1, 1));
        out.initialize(m, type, new Shape(1, 1, HIDDEN));
    }
}

package tpdiff4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import tpdiff4j.nn.StageNetwork;

/** A test network of one's own: {@code f(x, t, pos) = a x + b t}, two weights, the stage-wise contract. */
public final class AffineBlock extends AbstractBlock {

    final Parameter a = addParameter(Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT).optShape(new Shape(1, 1)).build());
    final Parameter b = addParameter(Parameter.builder().setName("b").setType(Parameter.Type.BIAS).optShape(new Shape(1)).build());

    /** An initialised network for clips of {@code frames} frames 16 x 16, starting at a = 0.1, b = 0. */
    public static StageNetwork network(NDManager m, int frames) {
        AffineBlock block = new AffineBlock();
        block.initialize(m, DataType.FLOAT32, new Shape(1, frames, 1, 16, 16), new Shape(1), new Shape(frames));
        block.a.getArray().set(new float[] {0.1f});
        block.b.getArray().set(new float[] {0f});
        return StageNetwork.of("affine", block, frames);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.get(0), t = in.get(1);
        NDArray av = ps.getValue(a, x.getDevice(), training), bv = ps.getValue(b, x.getDevice(), training);
        return new NDList(x.mul(av).add(t.reshape(-1, 1, 1, 1, 1).mul(bv)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

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

/**
 * A test network of one's own with a finite output and a non-finite gradient: {@code f(x) = a x + sqrt(c)} starting
 * at {@code a = 0.1, c = 0}. The forward pass gives {@code 0.1 x}, but the derivative of {@code sqrt} at 0 is
 * infinite, so the gradient of {@code c} is infinite or NaN while the loss is finite.
 */
public final class SqrtBiasBlock extends AbstractBlock {

    final Parameter a = addParameter(Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT).optShape(new Shape(1, 1)).build());
    final Parameter c = addParameter(Parameter.builder().setName("c").setType(Parameter.Type.BIAS).optShape(new Shape(1)).build());

    /** When set, every output is NaN from the next forward pass on (a network that diverges during a run). */
    volatile boolean poisoned;

    /** An initialised network for clips of {@code frames} frames 16 x 16. */
    public static StageNetwork network(NDManager m, int frames) {
        return network(m, frames, 0f);
    }

    /** The same with bias {@code c}: a negative one makes every output NaN (the square root of a negative number). */
    public static StageNetwork network(NDManager m, int frames, float c) {
        SqrtBiasBlock block = new SqrtBiasBlock();
        block.initialize(m, DataType.FLOAT32, new Shape(1, frames, 1, 16, 16), new Shape(1), new Shape(frames));
        block.a.getArray().set(new float[] {0.1f});
        block.c.getArray().set(new float[] {c});
        return StageNetwork.of(c == 0f ? "sqrt-bias" : "sqrt-bias(" + c + ")", block, frames);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.get(0);
        NDArray av = ps.getValue(a, x.getDevice(), training), cv = ps.getValue(c, x.getDevice(), training);
        NDArray out = x.mul(av).add(cv.sqrt());
        return new NDList(poisoned ? out.add(Float.NaN) : out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

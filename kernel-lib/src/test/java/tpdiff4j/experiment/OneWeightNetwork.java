package tpdiff4j.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import tpdiff4j.nn.StageNetwork;

/**
 * The network of the experiment tests that need to know what sampling does: {@code f = a x} with one weight, which
 * counts its inference passes, sleeps on the passes {@link #sleepMillis} names (so a sampling call takes a known
 * time), and interrupts the calling thread on pass {@link #interruptAt}, as a user would. {@link #reset()} after each
 * test.
 */
final class OneWeightNetwork extends AbstractBlock {

    /** Inference passes so far. */
    static final AtomicLong PASSES = new AtomicLong();
    /** Milliseconds to sleep on an inference pass, by its 1-based number; 0: none. */
    static volatile LongUnaryOperator sleepMillis = pass -> 0;
    /** The 1-based inference pass on which the network interrupts its thread; 0: never. */
    static volatile long interruptAt = 0;

    private final Parameter a = addParameter(Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT)
            .optShape(new Shape(1, 1)).build());

    private OneWeightNetwork() {
    }

    /** The network on 8 frames of 16x16, from the same initial weight every time (every arm starts alike). */
    static StageNetwork network(NDManager m) {
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        OneWeightNetwork block = new OneWeightNetwork();
        block.initialize(m, DataType.FLOAT32, new Shape(1, 8, 1, 16, 16), new Shape(1), new Shape(8));
        return StageNetwork.of("one-weight", block, 8);
    }

    /** Clears the count, the sleeps, the interrupt to come and the calling thread's interrupt flag. */
    static void reset() {
        Thread.interrupted();
        PASSES.set(0);
        sleepMillis = pass -> 0;
        interruptAt = 0;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        if (!training) {
            long pass = PASSES.incrementAndGet();
            long ms = sleepMillis.applyAsLong(pass);
            if (ms > 0) {
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            if (pass == interruptAt) {
                Thread.currentThread().interrupt();
            }
        }
        NDArray x = in.get(0);
        return new NDList(x.mul(ps.getValue(a, x.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

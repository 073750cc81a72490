package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.GaussianNoise;

/**
 * The backward pass reads only memory the engine owns. Autograd keeps the operands an operation needs for its
 * gradient; DJL's {@code array.mul(2f)} makes its scalar operand from a Java direct buffer that the garbage
 * collector frees once the call returns. If the forward pass hands such an operand to an operation that saves it,
 * a garbage collection between forward and backward lets the backward pass read freed memory: a training step
 * then gets a garbage gradient (a norm of 1e8, NaN) at random, depending on when the collector ran.
 *
 * <p>The test provokes exactly that window: forward, then a full collection (direct buffers freed), then the freed
 * small blocks are taken again by direct buffers filled with the bytes {@code 0x7F} (3.4e38 as a float), then
 * backward. The gradients must equal those of a backward pass run right after the same forward pass, bit for bit
 * (one thread, same inputs, same operations).
 */
class BackwardOwnedMemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "attention"})
    void gradientsDoNotDependOnAGarbageCollectionBetweenForwardAndBackward(String preset) throws InterruptedException {
        tpdiff4j.nn.Compute.configureFromEnvironment();
        int frames = 4;
        SpriteVideos data = SpriteVideos.builder().withFrames(frames).withSize(16).build();
        TrainConfig cfg = TrainConfig.flowMatching(1, frames, 1).withBatchSize(2);
        try (Trainer tr = Trainer.builder().withModel(ModelConfig.preset(preset, frames, 1, 16, 16)).withConfig(cfg)
                .withData(data).withProgress(false).build()) {
            // away from the adaLN-zero start, where the attention branches get no gradient at all
            try (NDManager sub = tr.manager().newSubManager()) {
                long seed = 100;
                for (Parameter p : tr.model().namedParameters().values()) {
                    NDArray a = p.getArray();
                    a.addi(GaussianNoise.normal(sub, a.getShape(), DataType.FLOAT32, seed++).muli(0.2f));
                }
            }
            Map<String, float[]> quiet = gradients(tr, frames, false);
            Map<String, float[]> collected = gradients(tr, frames, true);
            assertEquals(quiet.keySet(), collected.keySet());
            for (String k : quiet.keySet()) {
                float[] a = quiet.get(k), b = collected.get(k);
                for (int i = 0; i < a.length; i++) {
                    assertTrue(Float.isFinite(b[i]), preset + ": gradient of " + k + "[" + i + "] = " + b[i]);
                    assertEquals(a[i], b[i], 0f, preset + ": gradient of " + k + "[" + i + "]");
                }
            }
        }
    }

    /** Gradients of the mean squared output for fixed inputs; {@code collect}: GC and reuse of freed blocks before backward. */
    private static Map<String, float[]> gradients(Trainer tr, int frames, boolean collect) throws InterruptedException {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<ByteBuffer> spray = new ArrayList<>();
        try (NDManager sub = tr.manager().newSubManager()) {
            NDArray x = GaussianNoise.normal(sub, new Shape(2, frames, 1, 16, 16), DataType.FLOAT32, 11);
            NDArray t = GaussianNoise.normal(sub, new Shape(2), DataType.FLOAT32, 12).abs().clip(0f, 1f);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray pred = tr.model().block().forward(new ParameterStore(sub, false),
                        new NDList(x, t, tr.model().positions(sub, frames)), true).singletonOrThrow();
                NDArray loss = pred.square().mean();
                if (collect) {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(50); // the cleaner thread frees unreachable direct buffers
                    }
                    for (int i = 0; i < 4096; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 4) * 4);
                        while (b.hasRemaining()) {
                            b.put((byte) 0x7F);
                        }
                        spray.add(b);
                    }
                }
                gc.backward(loss);
            }
            for (Map.Entry<String, Parameter> e : tr.model().namedParameters().entrySet()) {
                NDArray g = e.getValue().getArray().getGradient();
                out.put(e.getKey(), g.toFloatArray());
                g.subi(g);
                g.close();
            }
        }
        spray.clear();
        return out;
    }
}

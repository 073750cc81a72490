package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.StageNetwork;

/** A block of one's own trains through the same Trainer, with EMA, checkpoints and resume. */
class CustomNetworkTest {

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    /** {@code f(x, t, pos) = a x + b t}: two weights, the stage-wise contract's inputs and output shape. */
    static final class Affine extends AbstractBlock {
        final Parameter a = addParameter(Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT).optShape(new Shape(1, 1)).build());
        final Parameter b = addParameter(Parameter.builder().setName("b").setType(Parameter.Type.BIAS).optShape(new Shape(1)).build());

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

    static final SpriteVideos DATA = SpriteVideos.builder().frames(8).size(16).build();

    static Trainer trainer(TrainConfig c, Path ckpt, Path resume) {
        Trainer.Builder b = Trainer.builder().withConfig(c).withData(DATA).withProgress(false).withNetwork(m -> {
            Affine block = new Affine();
            block.initialize(m, DataType.FLOAT32, new Shape(1, 8, 1, 16, 16), new Shape(1), new Shape(8));
            block.a.getArray().set(new float[] {0.1f});
            block.b.getArray().set(new float[] {0f});
            return StageNetwork.of("affine", block, 8);
        });
        if (ckpt != null) {
            b.withCheckpoints(ckpt, 0);
        }
        if (resume != null) {
            b.withResumeFrom(resume);
        }
        return b.build();
    }

    @Test
    void affineBlockLearnsAndResumesBitEqual(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainConfig.flowMatching(2, 8, 4).withBatchSize(4).withLearningRate(0.05)
                .withCoupling(BatchNoiseAligner.l2());
        float[] straight;
        TrainResult r;
        try (Trainer t = trainer(c, null, null)) {
            r = t.train(30);
            straight = t.model().namedParameters().get("a").getArray().toFloatArray();
            // the denoiser wraps the custom network for sampling
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray y = t.denoiser().predict(m.ones(new Shape(1, 4, 1, 16, 16)), 0.5);
                assertEquals(new Shape(1, 4, 1, 16, 16), y.getShape());
            }
        }
        double[] l = r.losses();
        double early = (l[0] + l[1] + l[2]) / 3, late = (l[27] + l[28] + l[29]) / 3;
        // the velocity target eps_k - x~_k is best fitted by a < 0; from a = 0.1 the loss must fall clearly
        assertTrue(late < 0.9 * early, "loss falls: " + early + " -> " + late);
        assertTrue(straight[0] < 0.1f, "a moved towards negative values: " + straight[0]);
        try (Trainer t = trainer(c, dir, null)) {
            t.train(15);
        }
        String json = Files.readString(Checkpoint.latest(dir).resolve("config.json"));
        assertTrue(json.contains("\"network\": \"affine\""), json);
        try (Trainer t = trainer(c, dir, dir)) {
            t.train(15);
            assertArrayEquals(straight, t.model().namedParameters().get("a").getArray().toFloatArray());
        }
    }

    @Test
    void aNetworkForAnotherFrameCountIsRefused() {
        TrainConfig c = TrainConfig.flowMatching(1, 8, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().withConfig(c)
                .withData(DATA).withProgress(false).withNetwork(m -> {
                    Affine block = new Affine();
                    block.initialize(m, DataType.FLOAT32, new Shape(1, 16, 1, 16, 16), new Shape(1), new Shape(16));
                    return StageNetwork.of("affine16", block, 16);
                }).build());
        assertTrue(e.getMessage().contains("16 frames"), e.getMessage());
    }
}

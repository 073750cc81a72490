package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.data.SpriteVideos;

/** A block of one's own trains through the same Trainer, with EMA, checkpoints and resume. */
class CustomNetworkTest {

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static final SpriteVideos DATA = SpriteVideos.builder().withFrames(8).withSize(16).build();

    static Trainer trainer(TrainConfig c, Path ckpt, Path resume) {
        Trainer.Builder b = Trainer.builder().withConfig(c).withData(DATA).withProgress(false).withNetwork(m -> AffineBlock.network(m, 8));
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
                .withData(DATA).withProgress(false).withNetwork(m -> AffineBlock.network(m, 16)).build());
        assertTrue(e.getMessage().contains("16 frames"), e.getMessage());
    }
    @Test
    void aNetworkWithoutWeightsIsRefusedAndTheTrainersManagerIsClosed() {
        NDManager[] given = new NDManager[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2)).withData(DATA).withProgress(false)
                .withNetwork(m -> {
                    given[0] = m;
                    m.ones(new Shape(1000)); // a buffer of the network's, on the trainer's manager
                    return tpdiff4j.nn.StageNetwork.of("identity", ai.djl.nn.Blocks.identityBlock(), 8);
                }).build());
        assertEquals("the network has no parameters to train", e.getMessage());
        // the manager was made inside build() and never handed out: if it stayed open, its arrays (here the
        // buffer) would stay in native memory for good, once more with every corrected re-run of the cell
        assertTrue(given[0] != null && !given[0].isOpen(), "the failed trainer's manager is still open");
    }
}

package tpdiff4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.data.GifFrames;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.Trainer;

class VideoSamplerTest {

    /** One PyTorch CPU thread: on the shared 2-core machine more threads oversubscribe the cores. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        tpdiff4j.nn.Compute.useThreads(1);
    }

    static Trainer trained(int stages) {
        Trainer t = Trainer.builder().withModel(ModelConfig.tiny(8, 1, 16, 16))
                .withConfig(TrainConfig.flowMatching(stages, 8, 5).withBatchSize(2))
                .withData(SpriteVideos.builder().frames(8).size(16).build()).withProgress(false).build();
        t.train(5); // non-zero output layer
        return t;
    }

    @Test
    void onePyramidStageIsExactlyTheVanillaSampler() {
        try (Trainer t = trained(1); NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(2, 8, 1, 16, 16);
            for (var solver : List.of(Solvers.euler(), Solvers.ddim())) {
                NDArray a = VideoSampler.vanilla(Schedules.flowMatching(), solver, 6).sample(t.denoiser(), m, s, 21);
                NDArray b = VideoSampler.pyramid(TemporalPyramid.uniform(Schedules.flowMatching(), 1, 8), solver, 6)
                        .sample(t.denoiser(), m, s, 21);
                assertArrayEquals(a.toFloatArray(), b.toFloatArray());
                assertTrue(a.abs().max().getFloat() > 0.1f, "the model moved the sample");
            }
        }
    }

    @Test
    void pyramidSamplingGivesFullRateClipsAndReportsEveryStep() {
        try (Trainer t = trained(3); NDManager m = NDManager.newBaseManager()) {
            List<Long> frames = new ArrayList<>();
            VideoSampler p = VideoSampler.pyramid(t.pyramid(), Solvers.euler(), 2, 3, 4)
                    .withListener((i, time, x, x0) -> frames.add(x.getShape().get(1)));
            NDArray y = p.sample(t.denoiser(), m, new Shape(3, 8, 1, 16, 16), 8);
            assertEquals(new Shape(3, 8, 1, 16, 16), y.getShape());
            assertEquals(9, p.totalSteps());
            assertEquals(9, frames.size(), "one listener call per solver step: " + frames);
            assertTrue(frames.contains(2L) && frames.contains(4L) && frames.contains(8L), "all stages seen: " + frames);
            NDArray again = p.withListener((i, time, x, x0) -> { }).sample(t.denoiser(), m, new Shape(3, 8, 1, 16, 16), 8);
            assertArrayEquals(y.toFloatArray(), again.toFloatArray(), "same seed, same clips");
        }
    }

    @Test
    void framesAndAnimatedGif(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray clips = SpriteVideos.builder().frames(4).size(16).channels(3).build().batch(m, 2, 1);
            List<BufferedImage> imgs = VideoFrames.images(clips, 1, 3);
            assertEquals(4, imgs.size());
            assertEquals(48, imgs.get(0).getWidth());
            float v = clips.getFloat(1, 2, 0, 5, 7);
            assertEquals(VideoFrames.byteOf(v), (imgs.get(2).getRGB(7 * 3 + 1, 5 * 3 + 2) >> 16) & 255);
            Path f = dir.resolve("clip.gif");
            Files.write(f, VideoFrames.gif(clips, 0, 2, 120));
            List<BufferedImage> back = GifFrames.read(f);
            assertEquals(4, back.size());
            var reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
            try (var in = javax.imageio.ImageIO.createImageInputStream(f.toFile())) {
                reader.setInput(in);
                var tree = reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
                String xml = dump(tree);
                assertTrue(xml.contains("delayTime=12"), xml);
                assertTrue(xml.contains("NETSCAPE"), xml);
            }
        }
    }

    private static String dump(org.w3c.dom.Node n) {
        StringBuilder sb = new StringBuilder("<" + n.getNodeName());
        if (n.getAttributes() != null) {
            for (int i = 0; i < n.getAttributes().getLength(); i++) {
                sb.append(' ').append(n.getAttributes().item(i).getNodeName()).append('=').append(n.getAttributes().item(i).getNodeValue());
            }
        }
        sb.append('>');
        for (org.w3c.dom.Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            sb.append(dump(c));
        }
        return sb.toString();
    }
}

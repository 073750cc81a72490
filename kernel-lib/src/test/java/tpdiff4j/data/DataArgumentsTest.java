package tpdiff4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The data sets refuse bad arguments in the library's one form, {@code name = value; allowed: ...}. */
class DataArgumentsTest {

    private static String refusal(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void videoSpecNamesTheFieldAndWhatIsAllowed() {
        assertEquals("frames = 0; allowed: at least 1", refusal(() -> new VideoSpec(0, 1, 4, 4)));
        assertEquals("channels = 2; allowed: 1 (grayscale) or 3 (RGB)", refusal(() -> new VideoSpec(4, 2, 4, 4)));
        assertEquals("height x width = 4 x 0; allowed: both at least 1", refusal(() -> new VideoSpec(4, 1, 4, 0)));
    }

    @Test
    void spriteBuilderNamesTheSettingAndWhatIsAllowed() {
        assertEquals("frames = 6; allowed: a positive multiple of 4",
                refusal(() -> SpriteVideos.builder().withFrames(6)));
        assertEquals("size = 24; allowed: 16 or 32", refusal(() -> SpriteVideos.builder().withSize(24)));
        assertEquals("channels = 2; allowed: 1 or 3", refusal(() -> SpriteVideos.builder().withChannels(2)));
        assertEquals("sprites = [2, 1]; allowed: 1 <= min <= max <= 4",
                refusal(() -> SpriteVideos.builder().withSprites(2, 1)));
        assertEquals("radii = []; allowed: at least one radius", refusal(() -> SpriteVideos.builder().withRadii()));
        assertEquals("shapes[0] = null; allowed: one of " + java.util.Arrays.toString(SpriteShape.values()),
                refusal(() -> SpriteVideos.builder().withShapes((SpriteShape) null)));
        String m = refusal(() -> SpriteVideos.builder().withSize(16).withRadii(9).build());
        assertEquals("radius = 9.0; allowed: a radius in (0, size/2) = (0, 8.0)", m);
    }

    @Test
    void gaussianVideosNameTheParameter() {
        VideoSpec spec = new VideoSpec(4, 1, 2, 2);
        assertEquals("a = 1.0; allowed: an AR(1) correlation in (-1, 1)",
                refusal(() -> new GaussianVideos(spec, 1.0, 1.0)));
        assertEquals("s = 0.0; allowed: a finite, positive standard deviation",
                refusal(() -> new GaussianVideos(spec, 0.5, 0.0)));
        assertEquals("spec = null; allowed: the clip shape, e.g. new VideoSpec(16, 1, 4, 4)",
                refusal(() -> new GaussianVideos(null, 0.5, 1.0)));
    }

    @Test
    void gifWritingNamesTheFramesAndDelay() {
        assertEquals("frames = []; allowed: at least one frame", refusal(() -> GifFrames.write(List.of(), 100, true)));
        BufferedImage f = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        String m = refusal(() -> GifFrames.write(List.of(f), -1, true));
        assertTrue(m.startsWith("delayMs = -1; allowed: 0..655350"), m);
        m = refusal(() -> GifFrames.write(List.of(f, new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB)), 10, true));
        assertTrue(m.contains("frame 1 is 3 x 2 but frame 0 is 2 x 2; allowed: frames of one size"), m);
    }

    @Test
    void tensorsNameTheArrayThatDoesNotFit() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
                ai.djl.ndarray.NDArray target = m.zeros(new ai.djl.ndarray.types.Shape(3, 4))) {
            assertEquals("values.length = 10; allowed: 12, the size of the target tensor of shape (3, 4)",
                    refusal(() -> Tensors.copyInto(target, new float[10])));
        }
        VideoSpec spec = new VideoSpec(4, 1, 4, 4);
        assertEquals("batchSize = 0; allowed: at least 1", refusal(() -> Tensors.hostBatch(spec, 0)));
        String tooLarge = refusal(() -> Tensors.hostBatch(spec, Integer.MAX_VALUE));
        assertTrue(tooLarge.startsWith("batchSize = " + Integer.MAX_VALUE + "; allowed: batchSize <= "
                + (Integer.MAX_VALUE - 8) / 64 + " for clips of 4 x 1 x 4 x 4 ("), tooLarge);
    }
}

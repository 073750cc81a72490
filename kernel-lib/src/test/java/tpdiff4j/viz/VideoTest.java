package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

/** Video views: GIF frame count, looping and pixel values; strips; grids; stages on the full-rate time axis. */
class VideoTest {

    /** A clip whose frame f is uniformly the value -1 + 2 f / (F - 1): black to white. */
    private static float[][][][] ramp(int frames, int c, int h, int w) {
        float[][][][] clip = new float[frames][c][h][w];
        for (int f = 0; f < frames; f++) {
            float v = frames == 1 ? 0 : -1 + 2f * f / (frames - 1);
            for (float[][] ch : clip[f]) for (float[] row : ch) java.util.Arrays.fill(row, v);
        }
        return clip;
    }

    private static ImageReader gifReader(byte[] gif) throws Exception {
        ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
        ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif));
        r.setInput(in);
        return r;
    }

    @Test
    void gifHasOneFramePerClipFrameLoopsAndMapsMinusOneToBlack() throws Exception {
        byte[] gif = Video.of(ramp(5, 1, 8, 8)).scale(2).fps(10).gif();
        ImageReader r = gifReader(gif);
        assertEquals(5, r.getNumImages(true));
        BufferedImage first = r.read(0), last = r.read(4), mid = r.read(2);
        assertEquals(16, first.getWidth());
        assertEquals(16, first.getHeight());
        assertEquals(0, first.getRGB(3, 3) & 0xff, "-1 is black");
        assertEquals(255, last.getRGB(3, 3) & 0xff, "+1 is white");
        assertEquals(128, mid.getRGB(3, 3) & 0xff, 1, "0 is mid grey, round(127.5)");
        IIOMetadataNode root = (IIOMetadataNode) r.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
        IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
        assertEquals("10", gce.getAttribute("delayTime"), "10 fps is 10 hundredths per frame");
        IIOMetadataNode app = (IIOMetadataNode) root.getElementsByTagName("ApplicationExtension").item(0);
        assertEquals("NETSCAPE", app.getAttribute("applicationID"));
        byte[] loop = (byte[]) app.getUserObject();
        assertEquals(0, loop[1] | loop[2], "loop count 0: forever");
    }

    @Test
    void colourClipKeepsItsColours() throws Exception {
        float[][][][] clip = new float[2][3][4][4];
        for (float[][][] f : clip) { fill(f[0], 1); fill(f[1], -1); fill(f[2], -1); } // pure red
        BufferedImage img = gifReader(Video.of(clip).gif()).read(1);
        int p = img.getRGB(1, 1);
        assertEquals(0xff0000, p & 0xffffff);
    }

    /**
     * A sampler that diverged gives NaN, which the GIF draws black: alone that looks like a real dark clip. The text
     * form, the caption under the GIF and the strip's text now say how many values were not finite; a finite clip
     * says nothing of the kind.
     */
    @Test
    void nonFiniteValuesAreCountedInTextAndCaption() {
        float[][][][] clip = ramp(4, 1, 8, 8);
        clip[1][0][2][3] = Float.NaN;
        clip[2][0][0][0] = Float.POSITIVE_INFINITY;
        Video v = Video.of(clip);
        assertTrue(v.toString().endsWith("2 of 256 values NaN or infinite (drawn magenta)"), v.toString());
        Map<String, String> b = v.mimeBundle();
        assertTrue(b.get("text/html").contains("<figcaption") && b.get("text/html").contains("2 values NaN or infinite"),
                b.get("text/html"));
        assertTrue(v.strip().mimeBundle().get("text/plain").contains("2 values NaN or infinite"));
        clip[2][0][0][0] = 0;
        assertTrue(Video.of(clip).mimeBundle().get("text/html").contains(">1 value NaN or infinite"));
        Video fine = Video.of(ramp(4, 1, 8, 8));
        assertFalse(fine.toString().contains("NaN"));
        assertFalse(fine.mimeBundle().get("text/html").contains("figcaption"));
    }

    @Test
    void mimeBundleCarriesTheGifInlineAndShortText() {
        Map<String, String> b = Video.of(ramp(4, 3, 8, 8)).title("a <clip>").mimeBundle();
        assertTrue(b.get("text/html").contains("src=\"data:image/gif;base64," + b.get("image/gif") + "\""));
        assertFalse(b.get("text/html").matches("(?s).*(src|href)=\"https?:.*"));
        assertTrue(b.get("text/html").contains("a &lt;clip&gt;"));
        assertTrue(b.get("text/plain").length() < 200);
        assertTrue(b.get("text/plain").contains("4 frames of 3x8x8"), b.get("text/plain"));
        assertEquals(4, decodeCount(b.get("image/gif")));
    }

    /**
     * What shows no GIF (nbconvert's PDF through LaTeX takes PNG and not GIF; a viewer of PNG and text only) gets the
     * animation's last frame as PNG: a ramp from -1 to +1 ends on its white frame, the first frame is black.
     */
    @Test
    void mimeBundleCarriesTheLastFrameAsPng() throws Exception {
        Video v = Video.of(ramp(4, 1, 8, 8)).scale(2);
        Map<String, String> b = v.mimeBundle();
        assertTrue(b.containsKey("image/png"), b.keySet().toString());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b.get("image/png"))));
        List<BufferedImage> frames = VideoRenderer.animation(v);
        BufferedImage last = frames.get(frames.size() - 1);
        assertEquals(last.getWidth(), png.getWidth());
        assertEquals(last.getHeight(), png.getHeight());
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                assertEquals(last.getRGB(x, y), png.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
        assertEquals(0xFFFFFF, png.getRGB(png.getWidth() / 2, png.getHeight() / 2) & 0xFFFFFF, "the last frame, +1");
        assertEquals(List.of("text/html", "image/gif", "image/png", "text/plain"), List.copyOf(b.keySet()),
                "the animated forms first, plain text last");
    }

    /**
     * An experiment's samples: one row per arm, the arm's name above the first clip and "" above the others. A name
     * wider than one clip runs on over the unlabelled clips of its row (it was cut to "my pyra..." at one clip's width),
     * and a label stops where the next labelled clip begins.
     */
    @Test
    void aRowLabelMayRunOverTheUnlabelledClipsAfterIt() {
        Video row = Video.grid(4, Video.of(ramp(2, 1, 4, 4)).label("vanilla + align"), Video.of(ramp(2, 1, 4, 4)).label(""),
                Video.of(ramp(2, 1, 4, 4)).label(""), Video.of(ramp(2, 1, 4, 4)).label("next"),
                Video.of(ramp(2, 1, 4, 4)).label("second row"), Video.of(ramp(2, 1, 4, 4)).label(""));
        int cw = row.cellWidth(), g = VideoRenderer.GAP;
        assertEquals(3 * cw + 2 * g, VideoRenderer.labelSpan(row, 0, 4, cw), "over the two unlabelled clips");
        assertEquals(cw, VideoRenderer.labelSpan(row, 3, 4, cw), "the row ends after it");
        assertEquals(2 * cw + g, VideoRenderer.labelSpan(row, 4, 4, cw), "the second row has two clips");
        BufferedImage first = VideoRenderer.animation(row).get(0);
        int ink = 0;   // the name's pixels in the label band above the second clip
        for (int y = g; y < g + 15; y++) {
            for (int x = g + cw + g; x < g + 2 * (cw + g); x++) {
                if ((first.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) ink++;
            }
        }
        assertTrue(ink > 0, "the name runs on above the second clip");
    }

    /**
     * A strip at the default scale fits a notebook's width: 16 frames of 16 x 16 pixels in the default 64-pixel cells
     * made a strip 1058 px wide (notebook 05's last frame strip), wider than the output area, which shrank it to fit
     * and so drew every pixel block at an uneven, blurred size; they now take 48-pixel cells (802 px). A short clip
     * keeps the default cells, and a scale chosen with scale(n) is kept however wide the strip gets.
     */
    @Test
    void stripAtTheDefaultScaleFitsTheNotebookWidth() throws Exception {
        int g = VideoRenderer.GAP;
        BufferedImage sixteen = Video.of(ramp(16, 1, 16, 16)).stripImage();
        assertTrue(sixteen.getWidth() <= Figure.NOTEBOOK_WIDTH_PX, sixteen.getWidth() + " px");
        assertEquals(g + 16 * (48 + g), sixteen.getWidth(), "the largest scale that fits: 3");
        assertEquals(g + 48 + g, sixteen.getHeight());
        Displayable shown = Video.of(ramp(16, 1, 16, 16)).strip();
        assertTrue(shown.mimeBundle().get("text/plain").endsWith(", 802x52 px"), shown.mimeBundle().get("text/plain"));
        assertEquals(g + 6 * (64 + g), Video.of(ramp(6, 1, 16, 16)).stripImage().getWidth(), "short: default cells");
        assertEquals(g + 16 * (64 + g), Video.of(ramp(16, 1, 16, 16)).scale(4).stripImage().getWidth(),
                "a chosen scale stays");
        BufferedImage labelled = Video.stages(List.of(ramp(4, 1, 16, 16), ramp(8, 1, 16, 16), ramp(16, 1, 16, 16)))
                .stripImage();
        assertTrue(labelled.getWidth() <= Figure.NOTEBOOK_WIDTH_PX, "with the stage labels: " + labelled.getWidth());
    }

    @Test
    void stripHasOneCellPerFrameAndStagesAlignOnTheFullRateAxis() throws Exception {
        int g = VideoRenderer.GAP;
        BufferedImage strip = Video.of(ramp(6, 1, 4, 4)).scale(4).stripImage();
        assertEquals(g + 6 * (16 + g), strip.getWidth());
        assertEquals(g + 16 + g, strip.getHeight());
        Displayable shown = Video.of(ramp(6, 1, 4, 4)).scale(4).strip();
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(shown.mimeBundle().get("image/png"))));
        assertEquals(strip.getWidth(), png.getWidth());

        Video stages = Video.stages(List.of(ramp(2, 1, 4, 4), ramp(4, 1, 4, 4), ramp(8, 1, 4, 4))).scale(4);
        assertEquals(8, stages.steps());
        assertTrue(stages.toString().contains("3 stages of 1x4x4, 2 to 8 frames (shown on the 8-frame time axis)"),
                stages.toString());
        Video two = Video.grid(2, Video.of(ramp(6, 1, 4, 4)), Video.of(ramp(6, 1, 4, 4)));
        assertTrue(two.toString().contains("2 clips of 1x4x4, 6 frames each"), two.toString());
        assertEquals(0, stages.frameAt(0, 3), "stage with 2 of 8 frames: steps 0..3 show frame 0");
        assertEquals(1, stages.frameAt(0, 4));
        assertEquals(3, stages.frameAt(1, 7));
        assertEquals(5, stages.frameAt(2, 5));
        assertEquals(8, decodeCount(Base64.getEncoder().encodeToString(stages.gif())));
        BufferedImage s = stages.stripImage();
        int left = 110 + g + g;
        // stage 0 frame 1 (white, value +1) begins at full-rate step 4; the cell at step 1 is empty (white page)
        // and stage 0 frame 0 (black) is at step 0
        int y0 = g + 8;
        assertEquals(0, s.getRGB(left + 8, y0) & 0xff, "stage 0, frame 0 black at step 0");
        assertEquals(255, s.getRGB(left + 4 * (16 + g) + 8, y0) & 0xff, "stage 0, frame 1 at step 4");
        assertEquals(0xffffff, s.getRGB(left + 2 * (16 + g) + 8, y0) & 0xffffff, "nothing at step 2 of stage 0");
    }

    @Test
    void gridOfABatchPlaysInStepAndHoldsShorterClips() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray batch = m.linspace(-1f, 1f, 3 * 5 * 1 * 4 * 4).reshape(new Shape(3, 5, 1, 4, 4));
            Video grid = Video.grid(2, batch).scale(2);
            assertEquals(3, grid.clipCount());
            ImageReader r = gifReader(grid.gif());
            assertEquals(5, r.getNumImages(true));
            BufferedImage f0 = r.read(0);
            int g = VideoRenderer.GAP;
            assertEquals(g + 2 * (8 + g), f0.getWidth());
            assertEquals(g + 2 * (8 + g), f0.getHeight());
            Video one = Video.of(batch.get(1)).scale(2);
            assertEquals(5, one.steps());
            assertThrows(IllegalArgumentException.class, () -> Video.of(batch), "B = 3 is not one clip");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Video.grid(2, batch.get("0:0")).gif(), "an empty batch is refused, not divided by zero");
            assertTrue(e.getMessage().contains("at least one clip") && e.getMessage().contains("(0, 5, 1, 4, 4)"),
                    e.getMessage());
        }
        Video mixed = Video.grid(2, Video.of(ramp(2, 1, 4, 4)).label("short"), Video.of(ramp(4, 1, 4, 4)).label("long"));
        assertEquals(4, mixed.steps());
        assertEquals(1, mixed.frameAt(0, 3), "the shorter clip holds its last frame");
    }

    @Test
    void badClipsAreRejectedWithTheirShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Video.of(new float[2][2][4][4]));
        assertEquals("clip channels C = 2; allowed: 1 (grey) or 3 (RGB)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Video.of(new float[0][][][]));
        float[][][][] ragged = ramp(2, 1, 4, 4);
        ragged[1][0][2] = new float[3];
        assertThrows(IllegalArgumentException.class, () -> Video.of(ragged));
        assertThrows(IllegalArgumentException.class, () -> Video.of(ramp(2, 1, 4, 4)).fps(0));
        assertThrows(IllegalArgumentException.class, () -> Video.stages(List.of("not a clip")));
        assertThrows(IllegalArgumentException.class, () -> Video.stages(List.of()));
    }

    private static int decodeCount(String base64) {
        try {
            return gifReader(Base64.getDecoder().decode(base64)).getNumImages(true);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void fill(float[][] plane, float v) {
        for (float[] row : plane) java.util.Arrays.fill(row, v);
    }

    @Test
    void savingToANullPathIsRefusedByName() {
        try (NDManager m = NDManager.newBaseManager()) {
            Video v = Video.of(m.zeros(new Shape(2, 1, 4, 4)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.saveGif(null));
            assertTrue(e.getMessage().startsWith("file = null"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> v.savePng(null));
        }
    }

    /**
     * A diverged sample's NaN used to be drawn black, the background colour, so a saved GIF of a broken clip looked
     * like a real dark one. Every non-finite value (NaN, +-infinity, in any channel) is now magenta in the GIF and the
     * strip, a colour no grey clip has; finite pixels keep their grey.
     */
    @Test
    void nonFiniteValuesAreDrawnMagentaInGifAndStrip(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        float[][][][] clip = new float[2][1][4][4];
        for (float[][][] f : clip) fill(f[0], -1);
        clip[0][0][1][1] = Float.NaN;
        clip[0][0][2][2] = Float.POSITIVE_INFINITY; // was drawn white, a bright sprite
        clip[0][0][3][3] = Float.NEGATIVE_INFINITY; // was drawn black
        Video v = Video.of(clip).scale(1);
        // read back by our own decoder: ImageIO's misplaces the rows of a 4-row interlaced frame
        BufferedImage gif = tpdiff4j.data.GifFrames.read(v.saveGif(dir.resolve("nan.gif"))).get(0);
        for (int k = 1; k <= 3; k++) {
            int p = gif.getRGB(k, k) & 0xffffff;
            assertEquals(0xff00ff, p, "pixel (" + k + ", " + k + ") " + Integer.toHexString(p));
        }
        assertEquals(3, magenta(gif), "three non-finite pixels at scale 1, drawn exactly on the colour cube");
        assertEquals(0x000000, gif.getRGB(0, 0) & 0xffffff, "finite background stays black");
        assertEquals(3, magenta(v.stripImage()), "three non-finite pixels at scale 1");
        float[][][][] rgb = new float[1][3][2][2];
        for (float[][] ch : rgb[0]) fill(ch, 0);
        rgb[0][1][0][1] = Float.NaN; // the green channel alone
        assertEquals(1, magenta(Video.of(rgb).scale(1).stripImage()), "an RGB pixel with one NaN channel");
    }

    private static int magenta(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) n += (img.getRGB(x, y) & 0xffffff) == 0xff00ff ? 1 : 0;
        }
        return n;
    }

    /** saveGif wrote GIF bytes into a file named .png, which viewers then failed to open; savePng the reverse. */
    @Test
    void savingUnderAnotherFormatsNameIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Video v = Video.of(ramp(2, 1, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v.saveGif(dir.resolve("samples.png")));
        assertTrue(e.getMessage().contains("samples.png; allowed: a name ending in .gif, since this writes an animated GIF")
                && e.getMessage().endsWith("samples.gif"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(dir.resolve("samples.png")), "nothing written");
        assertThrows(IllegalArgumentException.class, () -> v.savePng(dir.resolve("strip.gif")));
        assertTrue(java.nio.file.Files.exists(v.saveGif(dir.resolve("Samples.GIF"))), "the case of the name is free");
        assertTrue(java.nio.file.Files.exists(v.savePng(dir.resolve("strip.png"))));
    }
}

package tpdiff4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GIF files: exact round trips at every small size, sizes checked before allocating, one frame size per GIF. */
class GifFilesTest {

    /** Frames of random grey levels: the grey palette holds all 256 levels, so a round trip must be exact. */
    private static List<BufferedImage> greyFrames(int n, int w, int h, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<BufferedImage> frames = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int g = rng.nextInt(256);
                    img.setRGB(x, y, g << 16 | g << 8 | g);
                }
            }
            frames.add(img);
        }
        return frames;
    }

    private static void assertSamePixels(BufferedImage want, BufferedImage got, String what) {
        assertEquals(want.getWidth(), got.getWidth(), what + ": width");
        assertEquals(want.getHeight(), got.getHeight(), what + ": height");
        for (int y = 0; y < want.getHeight(); y++) {
            for (int x = 0; x < want.getWidth(); x++) {
                assertEquals(want.getRGB(x, y) & 0xFFFFFF, got.getRGB(x, y) & 0xFFFFFF, what + ": pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void roundTripsAreExactAtHeightsOneToEightAndOddWidths(@TempDir Path dir) throws IOException {
        for (int h = 1; h <= 8; h++) {
            for (int w : new int[] {1, 2, 3, 5, 7, 16, 17}) {
                List<BufferedImage> frames = greyFrames(3, w, h, 31L * h + w);
                Path f = dir.resolve("g" + w + "x" + h + ".gif");
                Files.write(f, GifFrames.write(frames, 50, true));
                List<BufferedImage> back = GifFrames.read(f);
                assertEquals(3, back.size());
                for (int i = 0; i < 3; i++) {
                    assertSamePixels(frames.get(i), back.get(i), w + " x " + h + " frame " + i);
                }
            }
        }
    }

    @Test
    void agreesWithTheJdkReaderWhereThatOneIsRight(@TempDir Path dir) throws IOException {
        // colour frames on the dithered cube, 24 x 20 (heights above 4 read correctly with the JDK's reader); the
        // encoder writes full frames, so each decoded frame is the JDK's image of that frame
        SplittableRandom rng = new SplittableRandom(5);
        List<BufferedImage> frames = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            BufferedImage img = new BufferedImage(24, 20, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 24; x++) {
                    img.setRGB(x, y, rng.nextInt(1 << 24));
                }
            }
            frames.add(img);
        }
        byte[] gif = GifFrames.write(frames, 50, true, false);
        Path f = dir.resolve("c.gif");
        Files.write(f, gif);
        List<BufferedImage> ours = GifFrames.read(f);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
            ImageReader jdk = readers.next();
            jdk.setInput(in);
            for (int i = 0; i < 4; i++) {
                assertSamePixels(jdk.read(i), ours.get(i), "colour frame " + i);
            }
            jdk.dispose();
        }
    }

    /** A GIF of {@code size} bytes whose logical screen and first frame claim w x h pixels. */
    private static byte[] claiming(int w, int h, int size) {
        byte[] b = new byte[size];
        byte[] head = {'G', 'I', 'F', '8', '9', 'a', (byte) w, (byte) (w >> 8), (byte) h, (byte) (h >> 8), (byte) 0x80, 0, 0};
        System.arraycopy(head, 0, b, 0, head.length);
        int p = head.length + 6; // two-colour global table (black, black)
        byte[] frame = {0x2C, 0, 0, 0, 0, (byte) w, (byte) (w >> 8), (byte) h, (byte) (h >> 8), 0, 2};
        System.arraycopy(frame, 0, b, p, frame.length);
        return b; // the rest is zero: an empty sub-block list, then the end of the data
    }

    @Test
    void aGifClaimingAHugeScreenIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        Path bomb = dir.resolve("bomb.gif");
        Files.write(bomb, claiming(30000, 30000, 1024));
        IOException e = assertThrows(IOException.class, () -> GifFrames.read(bomb));
        assertTrue(e.getMessage().contains(bomb.toString()) && e.getMessage().contains("30000 x 30000")
                && e.getMessage().contains("refused before allocating"), e.getMessage());
        // in a folder it is skipped with the reason, and the good video still loads
        Files.write(dir.resolve("good.gif"), GifFrames.write(greyFrames(4, 8, 8, 1), 50, true));
        FolderVideos v = FolderVideos.load(dir, new VideoSpec(4, 1, 8, 8), true);
        assertEquals(List.of("good.gif"), v.sources());
        assertTrue(v.skipped().stream().anyMatch(s -> s.startsWith("bomb.gif:") && s.contains("30000 x 30000")), v.skipped().toString());
    }

    @Test
    void aFrameImageClaimingAHugeSizeIsSkippedBeforeDecoding(@TempDir Path dir) throws IOException {
        // a PNG signature and IHDR chunk claiming 30000 x 30000 (8-bit grey), with a correct CRC, then nothing
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(30000).putInt(30000).put(new byte[] {8, 0, 0, 0, 0});
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4 + 1000)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}).putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        Path frames = Files.createDirectory(dir.resolve("clip"));
        for (int i = 0; i < 4; i++) {
            ImageIO.write(greyFrames(1, 8, 8, i).get(0), "png", frames.resolve(i + ".png").toFile());
        }
        Files.write(frames.resolve("9-bomb.png"), png.array());
        FolderVideos v = FolderVideos.load(dir, new VideoSpec(4, 1, 8, 8), true);
        assertEquals(1, v.clipCount());
        assertTrue(v.skipped().stream().anyMatch(s -> s.startsWith("clip/9-bomb.png:") && s.contains("30000 x 30000")),
                v.skipped().toString());
    }

    @Test
    void truncatedAndCorruptGifsNameTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        byte[] good = GifFrames.write(greyFrames(2, 9, 5, 3), 50, true);
        Path cut = dir.resolve("cut.gif");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
        IOException e = assertThrows(IOException.class, () -> GifFrames.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        Path fake = dir.resolve("fake.gif");
        Files.write(fake, "GIF89a but not really".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(assertThrows(IOException.class, () -> GifFrames.read(fake)).getMessage().contains(fake.toString()));
    }

    @Test
    void framesOfMixedSizesAreRefusedNotCropped() {
        List<BufferedImage> frames = new ArrayList<>(greyFrames(2, 8, 8, 1));
        frames.addAll(greyFrames(1, 10, 8, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GifFrames.write(frames, 50, true));
        assertTrue(e.getMessage().contains("frame 2 is 10 x 8 but frame 0 is 8 x 8"), e.getMessage());
    }

    /** A GIF delay is a 16-bit count of hundredths of a second: longer delays are refused by name, not by ImageIO. */
    @Test
    void aDelayBeyondTheGifFieldIsRefusedWithTheAllowedRange() throws IOException {
        List<BufferedImage> frames = greyFrames(2, 8, 8, 1);
        assertTrue(GifFrames.write(frames, 655_350, true).length > 0, "the longest delay a GIF holds");
        for (int delay : new int[] {655_351, 1_000_000_000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GifFrames.write(frames, delay, true));
            assertTrue(e.getMessage().startsWith("delayMs = " + delay) && e.getMessage().contains("0..655350"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> GifFrames.write(frames, delay, true, true));
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> GifFrames.write(null, 50, true));
        assertTrue(none.getMessage().startsWith("frames = null"), none.getMessage());
    }
}

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

    /** A GIF of a {@code sw} x {@code sh} screen and one all-zero frame of {@code w} x {@code h} per entry of frames. */
    static byte[] zeroFrames(int sw, int sh, int w, int h, int frames) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {'G', 'I', 'F', '8', '9', 'a', (byte) sw, (byte) (sw >> 8), (byte) sh, (byte) (sh >> 8),
            (byte) 0x80, 0, 0, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        byte[] data = zeroCodes((long) w * h);
        for (int f = 0; f < frames; f++) {
            b.writeBytes(new byte[] {0x2C, 0, 0, 0, 0, (byte) w, (byte) (w >> 8), (byte) h, (byte) (h >> 8), 0, 8});
            writeSubBlocks(b, data);
        }
        b.write(0x3B);
        return b.toByteArray();
    }

    /**
     * An LZW stream (minimum code size 8, so 9-bit codes) of at least {@code pixels} zero indices: after each clear
     * code, zero and then codes 258, 259, .. (each the previous string and one more zero), 200 codes at a time.
     */
    private static byte[] zeroCodes(long pixels) {
        List<Integer> codes = new ArrayList<>();
        for (long n = 0; n < pixels; ) {
            for (int k = 0; k <= 200 && n < pixels; k++) {
                codes.add(k == 0 ? 256 : k == 1 ? 0 : 256 + k); // clear, one zero, then strings of k zeros
                n += k;
            }
        }
        return packCodes(codes, 9);
    }

    /** LZW codes of a fixed {@code width} in bits, packed least significant bit first as a GIF stores them. */
    private static byte[] packCodes(List<Integer> codes, int width) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long bits = 0;
        int held = 0;
        for (int code : codes) {
            bits |= (long) code << held;
            held += width;
            for (; held >= 8; held -= 8, bits >>>= 8) {
                out.write((int) (bits & 255));
            }
        }
        if (held > 0) {
            out.write((int) (bits & 255));
        }
        return out.toByteArray();
    }

    /** Image data as GIF sub-blocks of at most 255 bytes, ended by an empty one. */
    private static void writeSubBlocks(java.io.ByteArrayOutputStream b, byte[] data) {
        for (int at = 0; at < data.length; at += 255) {
            int n = Math.min(255, data.length - at);
            b.write(n);
            b.write(data, at, n);
        }
        b.write(0);
    }

    @Test
    void framesLargerThanTheScreenCountTowardsTheDecodedPixelLimit(@TempDir Path dir) throws IOException {
        // a 1 x 1 screen, its first frame grows it to 4096 x 4096; the rest are decoded whole and then cut to it
        Path ok = dir.resolve("fits.gif");
        Files.write(ok, zeroFrames(1, 1, 64, 64, 3));
        List<BufferedImage> frames = GifFrames.read(ok);
        assertEquals(3, frames.size());
        assertEquals(64, frames.get(2).getWidth());
        assertEquals(0, frames.get(2).getRGB(63, 63) & 0xFFFFFF, "index 0 of the palette is black");
        // frame 1 sets a screen of 64 x 64 (9 frames of it are far below the limit), but frames 2.. are 4096 x 4096:
        // 9 of them decode 151 million pixels, over the 2^27 limit, from a file of 2 MB
        byte[] big = zeroFrames(4096, 4096, 4096, 4096, 9);
        byte[] small = zeroFrames(64, 64, 64, 64, 1);
        int firstFrame = 19, headerAndFrame = small.length - 1; // up to the trailer
        byte[] mixed = new byte[headerAndFrame + big.length - firstFrame];
        System.arraycopy(small, 0, mixed, 0, headerAndFrame);
        System.arraycopy(big, firstFrame, mixed, headerAndFrame, big.length - firstFrame);
        Path wide = dir.resolve("wide-frames.gif");
        Files.write(wide, mixed);
        IOException e = assertThrows(IOException.class, () -> GifFrames.read(wide));
        assertTrue(e.getMessage().contains(wide.toString()) && e.getMessage().contains("4096 x 4096 on a screen of 64 x 64")
                && e.getMessage().contains("limit of " + GifDecoder.MAX_TOTAL_PIXELS + " decoded pixels"), e.getMessage());
    }

    /** One frame of {@link #gif}: its rectangle, colour indices (in decoding order), disposal and transparent index. */
    record RawFrame(int left, int top, int w, int h, int disposal, int transparent, boolean interlaced, int... indices) {
    }

    /**
     * A GIF of a {@code sw} x {@code sh} screen with the four colours black, red, green and blue, written byte by
     * byte: each frame with a graphic control extension and an LZW stream of 3-bit codes that clears the table before
     * every index (so every code is a clear code or a literal).
     */
    static byte[] gif(int sw, int sh, RawFrame... frames) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {'G', 'I', 'F', '8', '9', 'a', (byte) sw, (byte) (sw >> 8), (byte) sh, (byte) (sh >> 8),
            (byte) 0x81, 0, 0, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255});
        for (RawFrame f : frames) {
            b.writeBytes(new byte[] {0x21, (byte) 0xF9, 4, (byte) (f.disposal() << 2 | (f.transparent() >= 0 ? 1 : 0)), 0, 0,
                (byte) Math.max(0, f.transparent()), 0});
            b.writeBytes(new byte[] {0x2C, (byte) f.left(), 0, (byte) f.top(), 0, (byte) f.w(), 0, (byte) f.h(), 0,
                (byte) (f.interlaced() ? 0x40 : 0), 2});
            List<Integer> stream = new ArrayList<>();
            for (int i : f.indices()) {
                stream.add(4); // clear
                stream.add(i);
            }
            stream.add(5); // end
            writeSubBlocks(b, packCodes(stream, 3));
        }
        b.write(0x3B);
        return b.toByteArray();
    }

    private static final int K = 0x000000, R = 0xFF0000, G = 0x00FF00, B = 0x0000FF;

    private static void assertFrame(int[] want, BufferedImage got, String what) {
        int w = got.getWidth();
        assertEquals(want.length, w * got.getHeight(), what + ": size");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got.getRGB(i % w, i / w) & 0xFFFFFF, what + ": pixel (" + i % w + ", " + i / w + ")");
        }
    }

    /**
     * Disposal as a browser plays it, checked pixel by pixel: "restore to previous" puts back what was under the
     * frame's rectangle, "restore to background" clears that rectangle to the black canvas, a transparent index
     * leaves what is below, the part of a frame beyond the screen is cut (a frame wholly beyond it changes nothing,
     * whatever its disposal), and interlaced rows land in their pass
     * order (0, then 4, then 2, then 1 and 3 for five rows).
     */
    @Test
    void disposalTransparencyClippingAndInterlacedRowsAreCompositedExactly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("disposal.gif");
        Files.write(file, gif(4, 2,
                new RawFrame(0, 0, 4, 2, 1, -1, false, 1, 1, 1, 1, 1, 1, 1, 1),  // all red, kept
                new RawFrame(1, 0, 2, 2, 3, -1, false, 2, 2, 2, 2),              // green square, then restored
                new RawFrame(2, 1, 2, 1, 2, 0, false, 3, 0),                      // blue and a transparent pixel, cleared
                new RawFrame(0, 0, 1, 1, 1, -1, false, 2),
                new RawFrame(3, 1, 2, 2, 1, -1, false, 3, 3, 3, 3),              // 3 of its 4 pixels off the screen
                new RawFrame(6, 1, 2, 1, 3, -1, false, 1, 1),                     // wholly beyond the right edge
                new RawFrame(7, 1, 1, 1, 2, -1, false, 1),
                new RawFrame(0, 5, 1, 1, 2, -1, false, 1)));                      // wholly below the screen
        List<BufferedImage> frames = GifFrames.read(file);
        assertEquals(8, frames.size());
        assertFrame(new int[] {R, R, R, R, R, R, R, R}, frames.get(0), "frame 1");
        assertFrame(new int[] {R, G, G, R, R, G, G, R}, frames.get(1), "frame 2");
        assertFrame(new int[] {R, R, R, R, R, R, B, R}, frames.get(2), "frame 3 (on frame 1: frame 2 was restored)");
        assertFrame(new int[] {G, R, R, R, R, R, K, K}, frames.get(3), "frame 4 (frame 3's rectangle cleared)");
        assertFrame(new int[] {G, R, R, R, R, R, K, B}, frames.get(4), "frame 5");
        assertFrame(new int[] {G, R, R, R, R, R, K, B}, frames.get(5), "frame 6 draws nothing and restores nothing");
        assertFrame(new int[] {G, R, R, R, R, R, K, B}, frames.get(6), "frame 7 draws nothing and clears nothing");
        assertFrame(new int[] {G, R, R, R, R, R, K, B}, frames.get(7), "frame 8 draws nothing and clears nothing");

        Path rows = dir.resolve("interlaced.gif");
        Files.write(rows, gif(1, 5, new RawFrame(0, 0, 1, 5, 0, -1, true, 1, 2, 3, 1, 2)));
        assertFrame(new int[] {R, R, B, G, G}, GifFrames.read(rows).get(0), "rows decoded as 0, 4, 2, 1, 3");
    }

    @Test
    void aScreenWithNoPixelsAFolderAndNullAreRefusedByName(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("empty.gif");
        Files.write(empty, zeroFrames(0, 0, 0, 0, 1));
        IOException e = assertThrows(IOException.class, () -> GifFrames.read(empty));
        assertTrue(e.getMessage().startsWith(empty + ": logical screen of 0 x 0 pixels")
                && e.getMessage().contains("allowed: at least 1 x 1"), e.getMessage());
        Path flat = dir.resolve("flat.gif");
        Files.write(flat, zeroFrames(7, 0, 7, 0, 1));
        e = assertThrows(IOException.class, () -> GifFrames.read(flat));
        assertTrue(e.getMessage().startsWith(flat + ": logical screen of 7 x 0 pixels"), e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("clip.gif"));
        e = assertThrows(IOException.class, () -> GifFrames.read(folder));
        assertEquals(folder + ": is a folder; allowed: a GIF file", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> GifFrames.read(null));
        assertTrue(none.getMessage().startsWith("file = null"), none.getMessage());
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

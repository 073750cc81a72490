package tpdiff4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderVideosTest {

    /** Frame f: black 32x32 image with a white 8x8 square at column 2f. */
    private static BufferedImage frame(int f) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 12; y < 20; y++) {
            for (int x = 2 * f; x < 2 * f + 8; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        return img;
    }

    @Test
    void readsGifsAndFrameFoldersSkipsCorruptFilesByName(@TempDir Path dir) throws Exception {
        List<BufferedImage> frames = new ArrayList<>();
        for (int f = 0; f < 9; f++) {
            frames.add(frame(f));
        }
        Files.write(dir.resolve("a.gif"), GifFrames.write(frames, 80, true)); // 9 frames -> 2 clips of 4
        Path folder = Files.createDirectory(dir.resolve("b"));
        for (int f = 0; f < 4; f++) {
            ImageIO.write(frame(f), "png", folder.resolve(String.format("%03d.png", f)).toFile());
        }
        Files.write(dir.resolve("broken.gif"), new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 2, 3});
        Files.write(folder.resolve("004.png"), new byte[] {1, 2, 3, 4});

        FolderVideos v = FolderVideos.load(dir, new VideoSpec(4, 1, 16, 16), true);
        assertEquals(3, v.clipCount());
        assertEquals(List.of("a.gif", "a.gif", "b"), v.sources());
        assertEquals("FolderVideos(3 clips of 4 frames of 1 x 16 x 16 from [a.gif, b])", v.toString());
        assertEquals("FolderVideos(1 clip of 8 frames of 1 x 16 x 16 from [a.gif])",
                FolderVideos.load(dir, new VideoSpec(8, 1, 16, 16), true).toString()); // a.gif only: 9 frames, b has 4
        assertTrue(v.skipped().stream().anyMatch(s -> s.startsWith("broken.gif:")), v.skipped().toString());
        assertTrue(v.skipped().stream().anyMatch(s -> s.startsWith("b/004.png:")), v.skipped().toString());
        try (NDManager m = NDManager.newBaseManager()) {
            float[] buf = new float[v.spec().clipSize()];
            v.fill(0, buf, 0);
            // frame 1 of clip 0: square at columns 2..9 of 32 -> 1..4 of 16 after a 2x resize; row 8 is inside
            assertEquals(1f, buf[16 * 16 + 8 * 16 + 2], 0.05f);
            assertEquals(-1f, buf[16 * 16 + 8 * 16 + 12], 0.05f);
            assertEquals(new Shape(5, 4, 1, 16, 16), v.batch(m, 5, 1).getShape());
        }
    }

    /**
     * An interrupt ends a load with nothing loaded and says so. Before, the interrupt made every later read fail with
     * ClosedByInterruptException and each such file was noted as a bad file and left out: an interrupted load
     * returned the files before the interrupt as if they were the whole folder (or blamed every file when none was left).
     */
    @Test
    void anInterruptedLoadLoadsNothingAndSaysWhereItStopped(@TempDir Path dir) throws Exception {
        List<BufferedImage> frames = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            frames.add(frame(f));
        }
        Files.write(dir.resolve("a.gif"), GifFrames.write(frames, 80, true));
        Files.write(dir.resolve("b.gif"), GifFrames.write(frames, 80, true));
        Thread.currentThread().interrupt();
        java.util.concurrent.CancellationException e;
        try {
            e = assertThrows(java.util.concurrent.CancellationException.class,
                    () -> FolderVideos.load(dir, new VideoSpec(4, 1, 16, 16), true));
        } finally {
            assertFalse(Thread.interrupted(), "the interrupt is consumed, as a solver consumes it");
        }
        assertEquals("loading " + dir + " was interrupted after 0 of its 2 entries; nothing was loaded: call load"
                + " again for the whole folder", e.getMessage());
        assertEquals(2, FolderVideos.load(dir, new VideoSpec(4, 1, 16, 16), true).clipCount(), "a new load reads all");
    }

    /**
     * An interrupt that arrives while a GIF is being decoded stops the load at the next frame. It used to be seen only
     * before the next entry of the folder, so a folder of one long GIF loaded whole and the interrupt was left over.
     */
    @Test
    void anInterruptDuringAGifStopsTheLoadAtTheNextFrame(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("long.gif"), GifFilesTest.zeroFrames(1024, 1024, 1024, 1024, 64));
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread loader = new Thread(() -> {
            try {
                result.set(FolderVideos.load(dir, new VideoSpec(16, 1, 8, 8), true));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        loader.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (java.util.Arrays.stream(loader.getStackTrace()).noneMatch(f -> f.getClassName().endsWith("GifDecoder"))) {
            assertTrue(loader.isAlive() && System.nanoTime() < deadline, "the load never reached the decoder");
            Thread.onSpinWait();
        }
        loader.interrupt();
        loader.join(60_000);
        assertTrue(result.get() instanceof java.util.concurrent.CancellationException, String.valueOf(result.get()));
        assertEquals("loading " + dir + " was interrupted after 0 of its 1 entries; nothing was loaded: call load"
                + " again for the whole folder", ((Exception) result.get()).getMessage());
    }

    @Test
    void gifRoundTripKeepsFrameCountAndPixels(@TempDir Path dir) throws Exception {
        List<BufferedImage> frames = List.of(frame(0), frame(3), frame(6));
        Path f = dir.resolve("x.gif");
        Files.write(f, GifFrames.write(frames, 100, true));
        List<BufferedImage> back = GifFrames.read(f);
        assertEquals(3, back.size());
        assertEquals(0xFFFFFF, back.get(1).getRGB(8, 15) & 0xFFFFFF);
        assertEquals(0, back.get(1).getRGB(2, 15) & 0xFFFFFF);
    }

    @Test
    void emptyFolderIsAClearError(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("junk.gif"), new byte[] {0, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FolderVideos.load(dir, new VideoSpec(4, 1, 16, 16), true));
        assertTrue(e.getMessage().contains("no usable clip"), e.getMessage());
        assertTrue(e.getMessage().contains("junk.gif"), e.getMessage());
    }

    @Test
    void framesPlayInNaturalNameOrderNotCharacterOrder(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("walk"));
        for (int f = 0; f < 12; f++) { // 1.png .. 12.png: plain string order would put 10, 11, 12 after 1
            ImageIO.write(frame(f), "png", folder.resolve("frame_" + (f + 1) + ".png").toFile());
        }
        FolderVideos v = FolderVideos.load(dir, new VideoSpec(12, 1, 32, 32), true);
        float[] clip = new float[v.spec().clipSize()];
        v.fill(0, clip, 0);
        int frameSize = 32 * 32;
        for (int f = 0; f < 12; f++) { // frame f has its square's left edge at column 2f, row 12..19
            assertEquals(1f, clip[f * frameSize + 15 * 32 + 2 * f], 1e-6f, "frame " + f + " left edge");
            if (f > 0) {
                assertEquals(-1f, clip[f * frameSize + 15 * 32 + 2 * f - 1], 1e-6f, "frame " + f + " left of the square");
            }
        }
        assertTrue(FolderVideos.compareNatural("a2.png", "a10.png") < 0);
        assertTrue(FolderVideos.compareNatural("007.png", "8.png") < 0);
        assertTrue(FolderVideos.compareNatural("b1.png", "a2.png") > 0);
        assertTrue(FolderVideos.compareNatural("01.png", "1.png") != 0, "distinct names never compare equal");
    }

    @Test
    void noClipSpansAnUnreadableFrame(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("b"));
        for (int f = 0; f < 9; f++) {
            ImageIO.write(frame(f), "png", folder.resolve(String.format("%03d.png", f)).toFile());
        }
        Files.write(folder.resolve("003.png"), new byte[] {1, 2, 3, 4}); // frames 0-2, a gap, frames 4-8
        FolderVideos v = FolderVideos.load(dir, new VideoSpec(4, 1, 32, 32), true);
        assertEquals(1, v.clipCount(), "only 4-8 hold 4 consecutive frames: " + v.skipped());
        float[] clip = new float[v.spec().clipSize()];
        v.fill(0, clip, 0);
        for (int f = 0; f < 4; f++) { // the clip is frames 4, 5, 6, 7: left edge at column 2 (4 + f)
            assertEquals(1f, clip[f * 1024 + 15 * 32 + 2 * (4 + f)], 1e-6f, "frame " + f);
            assertEquals(-1f, clip[f * 1024 + 15 * 32 + 2 * (4 + f) - 1], 1e-6f, "frame " + f);
        }
        assertTrue(v.skipped().stream().anyMatch(s -> s.startsWith("b/003.png:")), v.skipped().toString());
        assertTrue(v.skipped().contains("b: 4 of 8 frames unused (clips are 4 consecutive frames, never across an"
                + " unreadable frame)"), v.skipped().toString());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FolderVideos.load(dir, new VideoSpec(6, 1, 32, 32), true));
        assertTrue(e.getMessage().contains("b: 8 readable frames, no 6 consecutive ones"), e.getMessage());
    }

    @Test
    void unusedFramesAndOtherFilesAreNoted(@TempDir Path dir) throws Exception {
        List<BufferedImage> frames = new ArrayList<>();
        for (int f = 0; f < 10; f++) {
            frames.add(frame(f));
        }
        Files.write(dir.resolve("a.gif"), GifFrames.write(frames, 80, true));
        Files.write(dir.resolve("clip.mp4"), new byte[] {0, 0, 0, 24});
        Files.writeString(dir.resolve(".hidden"), "x");
        Path folder = Files.createDirectory(dir.resolve("f"));
        for (int f = 0; f < 4; f++) {
            ImageIO.write(frame(f), "png", folder.resolve(f + ".png").toFile());
        }
        Files.writeString(folder.resolve("notes.txt"), "x");
        FolderVideos v = FolderVideos.load(dir, new VideoSpec(4, 1, 16, 16), true);
        assertEquals(List.of("a.gif", "a.gif", "f"), v.sources());
        assertEquals(List.of("a.gif: 2 of 10 frames unused (clips are 4 consecutive frames)",
                "clip.mp4: not a video (expected an animated .gif or a sub-folder of .png/.jpg frames)",
                "f/notes.txt: not a .png/.jpg frame"), v.skipped());

        Path other = Files.createDirectory(dir.resolve("other"));
        Files.write(other.resolve("movie.mp4"), new byte[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FolderVideos.load(other, new VideoSpec(4, 1, 16, 16), true));
        assertTrue(e.getMessage().contains("movie.mp4: not a video"), e.getMessage());
    }

    @Test
    void batchRefusesANonPositiveSize(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.gif"), GifFrames.write(List.of(frame(0), frame(1)), 80, true));
        FolderVideos v = FolderVideos.load(dir, new VideoSpec(2, 1, 16, 16), true);
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.batch(m, 0, 1));
            assertEquals("batchSize = 0; allowed: at least 1", e.getMessage());
        }
    }

    @Test
    void aNullFolderOrSpecIsRefusedByName(@TempDir Path dir) {
        VideoSpec spec = new VideoSpec(4, 1, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FolderVideos.load(null, spec));
        assertTrue(e.getMessage().startsWith("dir = null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FolderVideos.load(dir, null));
        assertTrue(e.getMessage().startsWith("spec = null"), e.getMessage());
    }

    /**
     * A frame folder of 64 RGB frames of 1024 x 1024 (3 MB each as decoded, 192 MB together) loads in a JVM of 96 MB:
     * each frame is resized to the clip size as it is read. Holding every frame at full size until the folder was read
     * ended such a load (or a folder of a few hundred full-HD frames on a laptop) with an OutOfMemoryError.
     */
    @Test
    void aFrameFolderLargerThanTheHeapLoadsFrameByFrame(@TempDir Path dir) throws Exception {
        Path clip = Files.createDirectory(dir.resolve("clip"));
        BufferedImage big = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1024; y++) {
            for (int x = 0; x < 1024; x++) {
                big.setRGB(x, y, (x * 7 + y * 13) % 251 << 16 | (x ^ y) & 255 << 8 | y & 255);
            }
        }
        Path first = clip.resolve("0.png");
        ImageIO.write(big, "png", first.toFile());
        for (int i = 1; i < 64; i++) {
            Files.copy(first, clip.resolve(i + ".png"));
        }
        String out = loadInJvm(dir, "96m", 0);
        assertTrue(out.endsWith("clips=4"), out);
    }

    /**
     * A GIF of 64 frames of 1024 x 1024 (256 MB as decoded RGB frames) loads in a JVM of 64 MB: each frame is resized to
     * the clip size as soon as it is composited. The GIF used to be decoded whole, every frame at the screen's size,
     * before any was resized, and ended in an OutOfMemoryError.
     */
    @Test
    void aGifLargerThanTheHeapLoadsFrameByFrame(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("big.gif"), GifFilesTest.zeroFrames(1024, 1024, 1024, 1024, 64));
        String out = loadInJvm(dir, "64m", 0);
        assertTrue(out.endsWith("clips=4"), out);
    }

    /**
     * A GIF whose frames would give more values at the clip size than one GIF may ({@code frames x C x H x W} over
     * {@link FolderVideos#MAX_GIF_VALUES}) is noted by name, frame count and limit before it is decoded (nothing near
     * the limit is allocated), and the rest of the folder loads.
     */
    @Test
    void aGifOfTooManyFramesIsNotedWithTheLimit(@TempDir Path dir) throws Exception {
        VideoSpec spec = new VideoSpec(2, 3, 512, 512); // 786432 values a frame: 170 frames at most
        long most = FolderVideos.MAX_GIF_VALUES / spec.frameSize();
        Files.write(dir.resolve("long.gif"), GifFilesTest.zeroFrames(2, 2, 2, 2, (int) most + 1));
        Files.write(dir.resolve("short.gif"), GifFilesTest.zeroFrames(2, 2, 2, 2, 2));
        FolderVideos v = FolderVideos.load(dir, spec, true);
        assertEquals(List.of("short.gif"), v.sources());
        assertEquals(List.of("long.gif: IOException " + dir.resolve("long.gif") + ": " + (most + 1) + " frames;"
                + " allowed: at most " + most + " frames of 3 x 512 x 512 from one GIF (a limit of "
                + FolderVideos.MAX_GIF_VALUES + " values, frames x C x H x W): refused before decoding"), v.skipped());
    }

    /**
     * A frame too large for the memory left is not a damaged frame: the load ends with an OutOfMemoryError that names
     * it. The JDK's PNG reader reports running out of memory as a read error, which made the frame a gap between two
     * runs of frames, noted as "IIOException Caught exception during read", and the load went on with fewer clips.
     */
    @Test
    void runningOutOfMemoryOnAFrameIsNotTakenForADamagedFrame(@TempDir Path dir) throws Exception {
        Path clip = Files.createDirectory(dir.resolve("clip"));
        for (int i = 0; i < 32; i++) {
            ImageIO.write(frame(i % 12), "png", clip.resolve(i + ".png").toFile());
        }
        BufferedImage big = new BufferedImage(4096, 4096, BufferedImage.TYPE_INT_RGB);
        big.setRGB(5, 5, 0x123456);
        ImageIO.write(big, "png", clip.resolve("16.png").toFile()); // 48 MB once decoded, in a JVM of 32 MB
        String out = loadInJvm(dir, "32m", 1);
        assertTrue(out.contains("OutOfMemoryError: memory ran out while decoding clip/16.png"), out);
        assertFalse(out.contains("clips="), out);
    }

    /**
     * A named pipe where a GIF or a frame is expected is noted and passed over: reading one blocked until something
     * wrote into it, so the load never ended (and an interrupt could not stop it).
     */
    @Test
    void aPipeNamedLikeAVideoOrFrameIsNotedNotWaitedFor(@TempDir Path dir) throws Exception {
        Path clip = Files.createDirectory(dir.resolve("clip"));
        for (int i = 0; i < 4; i++) {
            ImageIO.write(frame(i), "png", clip.resolve(i + ".png").toFile());
        }
        for (Path pipe : List.of(clip.resolve("1b.png"), dir.resolve("stream.gif"))) {
            Process mk = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
            org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is needed for this test");
        }
        FolderVideos v = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> FolderVideos.load(dir, new VideoSpec(2, 1, 16, 16), true));
        assertEquals(2, v.clipCount(), "0-1, a gap (1b), 2-3: " + v.skipped());
        assertTrue(v.skipped().contains("clip/1b.png: IOException " + clip.resolve("1b.png") + ": is not a regular file (a"
                + " device, pipe or socket); allowed: a PNG or JPEG frame"), v.skipped().toString());
        assertTrue(v.skipped().stream().anyMatch(s -> s.startsWith("stream.gif: IOException ") && s.contains("is not a regular file")),
                v.skipped().toString());
    }

    /** Runs {@link #main} on {@code dir} in a JVM of {@code heap}; checks its exit status, returns its output. */
    private static String loadInJvm(Path dir, String heap, int status) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx" + heap, "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), FolderVideosTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(status, p.exitValue(), out);
        return out;
    }

    /** The child JVM of the tests above: loads a folder, prints what was skipped and the clip count. */
    public static void main(String[] args) throws Exception {
        FolderVideos v = FolderVideos.load(Path.of(args[0]), new VideoSpec(16, 3, 8, 8), true);
        v.skipped().forEach(System.out::println);
        System.out.println("clips=" + v.clipCount());
    }
}

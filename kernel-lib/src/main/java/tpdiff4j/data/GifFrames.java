package tpdiff4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import tpdiff4j.Refusals;

/**
 * Reads every frame of an animated GIF as a full-size image. GIF frames may be sub-rectangles drawn at an offset
 * over the previous frame; each frame is composited onto a canvas of the logical screen size, honouring the
 * disposal methods (restore to background: the frame's rectangle is cleared after it is shown; restore to
 * previous). Reading uses the library's own decoder, not the JDK's GIF reader, which returns wrong pixels for
 * images 2 to 4 rows high and allocates whatever size a file claims. {@link #write} makes an animated GIF
 * (Netscape looping extension, per-frame delay) with the JDK's GIF writer; all frames must have one size.
 */
public final class GifFrames {

    private GifFrames() {
    }

    /** Largest GIF file {@link #read} accepts: 256 MB (its frames would pass the decoded-pixel limit anyway). */
    static final long MAX_FILE_BYTES = 1L << 28;

    /**
     * Reads every frame with the library's own decoder ({@code GifDecoder}), which checks the claimed sizes before
     * allocating: the screen and each frame at most 2^25 pixels, all frames together at most 2^27.
     *
     * @return the frames in display order, each of the logical screen's size
     * @throws IOException if the file is not a readable GIF (a folder, a pipe), holds no frame, or claims sizes over
     *                     those limits (the message names the file and the sizes)
     * @throws IllegalArgumentException if {@code file} is null
     */
    public static List<BufferedImage> read(Path file) throws IOException {
        return GifDecoder.decode(bytes(file), file.toString());
    }

    /**
     * Decodes {@code file} frame by frame into {@code sink}, which sees each frame on the decoder's one canvas (see
     * {@code GifDecoder}): memory holds the file and one screen, not every frame.
     */
    static void read(Path file, GifDecoder.FrameSink sink) throws IOException {
        GifDecoder.decode(bytes(file), file.toString(), sink);
    }

    /** The bytes of a GIF file, after checking that it is a file of at most {@link #MAX_FILE_BYTES} bytes. */
    private static byte[] bytes(Path file) throws IOException {
        Refusals.notNull(file, "file", "the path of a GIF file");
        tpdiff4j.schedule.AtomicFiles.requireFile(file, "a GIF file");
        long size = java.nio.file.Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + ": " + size + " bytes; allowed: a GIF of at most " + MAX_FILE_BYTES + " bytes");
        }
        return java.nio.file.Files.readAllBytes(file);
    }

    /**
     * Encodes frames as an animated GIF.
     *
     * @param frames  frames in display order, all of one size
     * @param delayMs delay per frame in milliseconds, 0..655350 (stored in hundredths of a second, at least 1)
     * @param loop    true: loop forever; false: play once
     */
    public static byte[] write(List<BufferedImage> frames, int delayMs, boolean loop) throws IOException {
        check(frames, delayMs);
        return write(frames, delayMs, loop, allGrey(frames));
    }

    /**
     * Encodes frames as an animated GIF on a chosen palette.
     *
     * @param grey true: the exact 256-grey palette (colour is dropped); false: a fixed dithered colour cube, the same
     *             for every frame so nothing flickers
     */
    public static byte[] write(List<BufferedImage> frames, int delayMs, boolean loop, boolean grey) throws IOException {
        check(frames, delayMs);
        try {
            return GifEncoder.encode(frames, Math.max(1, Math.round(delayMs / 10f)), grey, loop);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The longest delay a GIF frame can carry: 65535 hundredths of a second (an unsigned 16-bit field). */
    static final int MAX_DELAY_MS = 655_350;

    private static void check(List<BufferedImage> frames, int delayMs) {
        if (frames == null || frames.isEmpty()) {
            throw Refusals.refuse("frames", frames, "at least one frame");
        }
        if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
            throw Refusals.refuse("delayMs", delayMs,
                    "0.." + MAX_DELAY_MS + " (a GIF stores the delay as at most 65535 hundredths of a second)");
        }
    }

    /** True when every pixel has r = g = b: such frames are written on the exact 256-grey palette. */
    private static boolean allGrey(List<BufferedImage> frames) {
        for (BufferedImage f : frames) {
            for (int y = 0; y < f.getHeight(); y++) {
                for (int x = 0; x < f.getWidth(); x++) {
                    int p = f.getRGB(x, y);
                    int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
                    if (r != g || g != b) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}

package tpdiff4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an (animated) GIF into full-size RGB frames, written from the GIF89a specification: the logical screen,
 * global and local colour tables, graphic control extensions (transparency, disposal 0-3), interlaced rows and the
 * variable-width LZW code stream (codes of 3 to 12 bits, clear and end codes, the "KwKwK" case).
 *
 * <p>Sizes are checked before anything is allocated: the screen and every frame may have at most
 * {@link #MAX_PIXELS} pixels, and all decoded frame rectangles together at most {@link #MAX_TOTAL_PIXELS} (a frame
 * larger than the screen is decoded whole before it is cut). A file that claims more (a 1 KB file can claim a
 * 65535 x 65535 screen) is refused with an {@link IOException} that names the sizes. A screen with no pixels (0 wide or
 * high, even after it grows to hold the first frame) is refused too. Frames are composited onto a canvas of the screen
 * size that starts black; pixels outside the screen are cut.
 *
 * <p>A first pass over the file checks its structure and these sizes and counts its frames, skipping their codes,
 * before anything is decoded or allocated. Decoding then holds one canvas: each frame's codes are drawn onto it as
 * they are decoded (no frame-sized buffer of indices, no copy of the code stream), disposal "restore to previous"
 * keeps only the frame's rectangle, and each finished frame goes to a {@link FrameSink}, which reads the canvas and
 * keeps what it needs (a frame shrunk to a clip's size, say). Only {@link #decode(byte[], String)} keeps every frame
 * at the screen's size, and it refuses more than {@link #MAX_TOTAL_PIXELS} pixels of them together.
 */
final class GifDecoder {

    /** Most pixels of the screen or of one frame: 2^25 (for example 8192 x 4096), 128 MB as RGB ints. */
    static final long MAX_PIXELS = 1L << 25;
    /**
     * Most pixels of all decoded frame rectangles together, and of all frames {@link #decode(byte[], String)}
     * returns: 2^27 (512 MB as RGB ints; 2048 frames of 256 x 256).
     */
    static final long MAX_TOTAL_PIXELS = 1L << 27;

    /** Receives each frame as soon as it is composited. */
    @FunctionalInterface
    interface FrameSink {
        /**
         * Called once, before any frame is decoded, after a pass over the file that checked its structure and sizes.
         *
         * @param frames how many frames the file holds
         * @param width  the screen's width (after it grew to hold the first frame)
         * @param height the screen's height
         * @throws IOException to refuse the file before anything is decoded
         */
        default void start(int frames, int width, int height) throws IOException {
        }

        /**
         * @param canvas the screen after frame {@code number} was drawn; valid only during the call (the decoder
         *               draws the next frame onto the same image), so a sink that keeps it must copy it
         * @param number the frame's number, from 1
         */
        void frame(BufferedImage canvas, int number) throws IOException;
    }

    private final byte[] b;
    private final String name;
    private int pos;
    /** The screen's size, once the first frame is read. */
    private int width, height;

    private GifDecoder(byte[] bytes, String name) {
        this.b = bytes;
        this.name = name;
    }

    /**
     * The frames of {@code bytes} in display order, each a copy at the screen's size; {@code name} is used in
     * messages. More than {@link #MAX_TOTAL_PIXELS} pixels of such copies are refused.
     */
    static List<BufferedImage> decode(byte[] bytes, String name) throws IOException {
        List<BufferedImage> out = new ArrayList<>();
        decode(bytes, name, new FrameSink() {
            @Override
            public void start(int frames, int width, int height) throws IOException {
                if ((long) frames * width * height > MAX_TOTAL_PIXELS) {
                    throw new IOException(name + ": " + frames + " frames of " + width + " x " + height + " exceed the"
                            + " limit of " + MAX_TOTAL_PIXELS + " decoded pixels: refused before decoding");
                }
            }

            @Override
            public void frame(BufferedImage canvas, int number) {
                BufferedImage copy = new BufferedImage(canvas.getWidth(), canvas.getHeight(), BufferedImage.TYPE_INT_RGB);
                copy.setData(canvas.getRaster());
                out.add(copy);
            }
        });
        return out;
    }

    /**
     * Decodes {@code bytes} and hands each frame to {@code sink} as it is finished; {@code name} is used in messages.
     * Besides the file, memory holds one canvas of the screen's size (and, for a frame that restores the previous
     * one, a copy of that frame's rectangle).
     */
    static void decode(byte[] bytes, String name, FrameSink sink) throws IOException {
        GifDecoder scan = new GifDecoder(bytes, name);
        int frames = scan.frames(null);
        sink.start(frames, scan.width, scan.height);
        new GifDecoder(bytes, name).frames(sink);
    }

    /**
     * Reads the file, handing each frame to {@code sink}; with a null sink, only checks the structure and the sizes
     * (frames are skipped, nothing is allocated).
     *
     * @return the number of frames
     */
    private int frames(FrameSink sink) throws IOException {
        String magic = new String(b, 0, Math.min(6, b.length), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!magic.equals("GIF87a") && !magic.equals("GIF89a")) {
            throw new IOException(name + ": not a GIF (no GIF87a/GIF89a header)");
        }
        pos = 6;
        width = u16();
        height = u16();
        int packed = u8();
        u8(); // background colour index: the canvas starts black (as a transparent background shows)
        u8(); // pixel aspect ratio
        checkSize("logical screen", width, height);
        int[] global = (packed & 0x80) != 0 ? palette(packed & 7) : null;
        int count = 0; // frames finished
        BufferedImage image = null;
        int[] canvas = null;
        int disposal = 0, transparent = -1;
        long decoded = 0; // pixels of the frame rectangles decoded so far
        while (true) {
            int block = u8();
            if (block == 0x3B) {
                break; // trailer
            } else if (block == 0x21) {
                int label = u8();
                if (label == 0xF9) {
                    int size = u8();
                    need(size);
                    if (size >= 4) { // flags, delay (2 bytes), transparent index
                        disposal = (b[pos] >> 2) & 7;
                        transparent = (b[pos] & 1) != 0 ? b[pos + 3] & 255 : -1;
                    }
                    pos += size;
                    skipSubBlocks();
                } else {
                    skipSubBlocks();
                }
            } else if (block == 0x2C) {
                int left = u16(), top = u16(), w = u16(), h = u16(), p = u8();
                checkSize("frame " + (count + 1), w, h);
                int[] colours = (p & 0x80) != 0 ? palette(p & 7) : global;
                if (colours == null) {
                    throw new IOException(name + ": frame " + (count + 1) + " has no colour table");
                }
                if (count == 0) {
                    width = Math.max(width, left + w); // a screen smaller than the first frame grows to hold it
                    height = Math.max(height, top + h);
                    checkSize("logical screen", width, height);
                    if (width == 0 || height == 0) {
                        throw new IOException(name + ": logical screen of " + width + " x " + height + " pixels (after"
                                + " growing to hold frame 1 of " + w + " x " + h + " at " + left + ", " + top
                                + "); allowed: at least 1 x 1");
                    }
                }
                decoded += (long) w * h;
                if (decoded > MAX_TOTAL_PIXELS) {
                    throw new IOException(name + ": frames 1 to " + (count + 1) + " have rectangles of " + decoded
                            + " pixels together (frame " + (count + 1) + " is " + w + " x " + h + " on a screen of "
                            + width + " x " + height + "), more than the limit of " + MAX_TOTAL_PIXELS
                            + " decoded pixels: refused before decoding");
                }
                if (sink == null) {
                    u8(); // LZW minimum code size
                    skipSubBlocks();
                    count++;
                    disposal = 0;
                    transparent = -1;
                    continue;
                }
                if (canvas == null) {
                    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB); // starts black
                    canvas = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
                }
                Frame f = new Frame(canvas, width, height, colours, transparent, left, top, w, h, (p & 0x40) != 0);
                int[] before = disposal == 3 ? f.saveRectangle() : null;
                lzw(f, count + 1);
                count++;
                sink.frame(image, count);
                if (disposal == 2) {
                    f.clearRectangle();
                } else if (disposal == 3) {
                    f.restoreRectangle(before);
                }
                disposal = 0;
                transparent = -1;
            } else {
                throw new IOException(name + ": corrupt (unknown block 0x" + Integer.toHexString(block) + " at byte " + (pos - 1) + ")");
            }
        }
        if (count == 0) {
            throw new IOException(name + ": no frame in the GIF");
        }
        return count;
    }

    /** Where one frame's pixels go: its rectangle on the canvas, its colours and its row order. */
    private static final class Frame {
        final int[] canvas;
        final int width, height, left, top, w, h, transparent;
        final int[] colours, rows;
        /**
         * The part of the rectangle on the screen: columns left..right-1, rows top..bottom-1; none when right is not
         * past left or bottom not past top (a frame beyond the screen's right or bottom edge).
         */
        final int right, bottom;

        Frame(int[] canvas, int width, int height, int[] colours, int transparent, int left, int top, int w, int h,
              boolean interlaced) {
            this.canvas = canvas;
            this.width = width;
            this.height = height;
            this.colours = colours;
            this.transparent = transparent;
            this.left = left;
            this.top = top;
            this.w = w;
            this.h = h;
            this.rows = rowOrder(h, interlaced);
            this.right = Math.min(width, left + w);
            this.bottom = Math.min(height, top + h);
        }

        /** Draws the colour index of decoded pixel {@code n} (row-major in decoding order), unless transparent. */
        void put(int n, int index) {
            int y = top + rows[n / w], x = left + n % w;
            if (y < height && x < width && index != transparent) {
                canvas[y * width + x] = index < colours.length ? colours[index] : 0;
            }
        }

        /** The columns of the rectangle on the screen, 0 when it has none (then no row is touched either). */
        private int onScreenWidth() {
            return bottom > top ? Math.max(0, right - left) : 0;
        }

        int[] saveRectangle() {
            int cw = onScreenWidth();
            int[] saved = new int[cw * Math.max(0, bottom - top)];
            for (int y = top; y < bottom && cw > 0; y++) {
                System.arraycopy(canvas, y * width + left, saved, (y - top) * cw, cw);
            }
            return saved;
        }

        void restoreRectangle(int[] saved) {
            int cw = onScreenWidth();
            for (int y = top; y < bottom && cw > 0; y++) {
                System.arraycopy(saved, (y - top) * cw, canvas, y * width + left, cw);
            }
        }

        void clearRectangle() {
            int cw = onScreenWidth();
            for (int y = top; y < bottom && cw > 0; y++) {
                java.util.Arrays.fill(canvas, y * width + left, y * width + left + cw, 0);
            }
        }
    }

    private void checkSize(String what, int w, int h) throws IOException {
        if ((long) w * h > MAX_PIXELS) {
            throw new IOException(name + ": " + what + " of " + w + " x " + h + " pixels is larger than the limit of "
                    + MAX_PIXELS + " pixels (" + b.length + " bytes of file): refused before allocating");
        }
    }

    private int[] palette(int sizeBits) throws IOException {
        int n = 2 << sizeBits;
        need(3 * n);
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = (b[pos] & 255) << 16 | (b[pos + 1] & 255) << 8 | (b[pos + 2] & 255);
            pos += 3;
        }
        return c;
    }

    /**
     * Decodes one frame's LZW stream, drawing each pixel onto the canvas as it comes, and reads the code stream in
     * place from its sub-blocks (no copy of it).
     */
    private void lzw(Frame f, int frame) throws IOException {
        int count = f.w * f.h;
        int min = u8();
        if (min < 1 || min > 11) {
            throw new IOException(name + ": frame " + frame + " has LZW minimum code size " + min + "; allowed: 1 .. 11");
        }
        int clear = 1 << min, end = clear + 1;
        int[] prefix = new int[4096];
        byte[] suffix = new byte[4096];
        byte[] stack = new byte[4097];
        for (int i = 0; i < clear; i++) {
            suffix[i] = (byte) i;
        }
        int size = min + 1, next = clear + 2, old = -1, first = 0, n = 0;
        long bits = 0;
        int held = 0;
        int blockLeft = u8(); // bytes left in the current sub-block
        boolean ended = blockLeft == 0; // the terminating empty sub-block was read
        while (n < count) {
            while (held < size && !ended) {
                if (blockLeft == 0) {
                    blockLeft = u8();
                    ended = blockLeft == 0;
                    continue;
                }
                need(1);
                bits |= (long) (b[pos++] & 255) << held;
                held += 8;
                blockLeft--;
            }
            if (held < size) {
                throw new IOException(name + ": frame " + frame + " is truncated (" + n + " of " + count + " pixels decoded)");
            }
            int code = (int) (bits & ((1 << size) - 1));
            bits >>>= size;
            held -= size;
            if (code == clear) {
                size = min + 1;
                next = clear + 2;
                old = -1;
                continue;
            }
            if (code == end) {
                throw new IOException(name + ": frame " + frame + " ends after " + n + " of " + count + " pixels");
            }
            if (old == -1) {
                if (code >= clear) {
                    throw new IOException(name + ": frame " + frame + " starts with the undefined LZW code " + code);
                }
                f.put(n++, suffix[code] & 255);
                old = first = code;
                continue;
            }
            if (code > next) {
                throw new IOException(name + ": frame " + frame + " has the undefined LZW code " + code + " (next is " + next + ")");
            }
            int in = code, top = 0;
            if (code == next) {
                stack[top++] = (byte) first; // the KwKwK case: the new string is old + first(old)
                code = old;
            }
            while (code >= clear) {
                stack[top++] = suffix[code];
                code = prefix[code];
            }
            first = suffix[code] & 255;
            stack[top++] = (byte) first;
            while (top > 0 && n < count) {
                f.put(n++, stack[--top] & 255);
            }
            if (next < 4096) {
                prefix[next] = old;
                suffix[next] = (byte) first;
                next++;
                if (next == 1 << size && size < 12) {
                    size++;
                }
            }
            old = in;
        }
        if (!ended) { // the rest of the current sub-block and the ones after it (the end code, padding)
            need(blockLeft);
            pos += blockLeft;
            skipSubBlocks();
        }
    }

    /** Row of the image for each decoded row: 0, 8, 16, .. then 4, 12, .. then 2, 6, .. then 1, 3, .. if interlaced. */
    private static int[] rowOrder(int h, boolean interlaced) {
        int[] rows = new int[h];
        int r = 0;
        if (!interlaced) {
            for (; r < h; r++) {
                rows[r] = r;
            }
            return rows;
        }
        int[][] passes = {{0, 8}, {4, 8}, {2, 4}, {1, 2}};
        for (int[] p : passes) {
            for (int y = p[0]; y < h; y += p[1]) {
                rows[r++] = y;
            }
        }
        return rows;
    }

    private void skipSubBlocks() throws IOException {
        for (int n = u8(); n != 0; n = u8()) {
            need(n);
            pos += n;
        }
    }

    private void need(int n) throws IOException {
        if (pos + n > b.length) {
            throw new IOException(name + ": truncated (needs " + n + " more bytes at byte " + pos + " of " + b.length + ")");
        }
    }

    private int u8() throws IOException {
        need(1);
        return b[pos++] & 255;
    }

    private int u16() throws IOException {
        return u8() | u8() << 8;
    }
}

package tpdiff4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes an (animated) GIF into full-size RGB frames, written from the GIF89a specification: the logical screen,
 * global and local colour tables, graphic control extensions (transparency, disposal 0-3), interlaced rows and the
 * variable-width LZW code stream (codes of 3 to 12 bits, clear and end codes, the "KwKwK" case).
 *
 * <p>Sizes are checked before anything is allocated: the screen and every frame may have at most
 * {@link #MAX_PIXELS} pixels, and all decoded frames together at most {@link #MAX_TOTAL_PIXELS}, counted both as the
 * screen-size images returned and as the frame rectangles decoded (a frame larger than the screen is decoded whole
 * before it is cut). A file that claims more (a 1 KB file can claim a 65535 x 65535 screen) is refused with an
 * {@link IOException} that names the sizes. A screen with no pixels (0 wide or high, even after it grows to hold the
 * first frame) is refused too. Frames are composited onto a canvas of the screen size that starts black; pixels
 * outside the screen are cut.
 */
final class GifDecoder {

    /** Most pixels of the screen or of one frame: 2^25 (for example 8192 x 4096), 128 MB as RGB ints. */
    static final long MAX_PIXELS = 1L << 25;
    /** Most pixels of all decoded frames together: 2^27 (512 MB as RGB ints; 2048 frames of 256 x 256). */
    static final long MAX_TOTAL_PIXELS = 1L << 27;

    private final byte[] b;
    private final String name;
    private int pos;

    private GifDecoder(byte[] bytes, String name) {
        this.b = bytes;
        this.name = name;
    }

    /** The frames of {@code bytes} in display order; {@code name} is used in messages. */
    static List<BufferedImage> decode(byte[] bytes, String name) throws IOException {
        return new GifDecoder(bytes, name).frames();
    }

    private List<BufferedImage> frames() throws IOException {
        String magic = new String(b, 0, Math.min(6, b.length), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!magic.equals("GIF87a") && !magic.equals("GIF89a")) {
            throw new IOException(name + ": not a GIF (no GIF87a/GIF89a header)");
        }
        pos = 6;
        int width = u16(), height = u16(), packed = u8();
        u8(); // background colour index: the canvas starts black (as a transparent background shows)
        u8(); // pixel aspect ratio
        checkSize("logical screen", width, height);
        int[] global = (packed & 0x80) != 0 ? palette(packed & 7) : null;
        List<BufferedImage> out = new ArrayList<>();
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
                checkSize("frame " + (out.size() + 1), w, h);
                int[] colours = (p & 0x80) != 0 ? palette(p & 7) : global;
                if (colours == null) {
                    throw new IOException(name + ": frame " + (out.size() + 1) + " has no colour table");
                }
                if (canvas == null) {
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
                    throw new IOException(name + ": frames 1 to " + (out.size() + 1) + " have rectangles of " + decoded
                            + " pixels together (frame " + (out.size() + 1) + " is " + w + " x " + h + " on a screen of "
                            + width + " x " + height + "), more than the limit of " + MAX_TOTAL_PIXELS
                            + " decoded pixels: refused before decoding");
                }
                if ((long) (out.size() + 1) * width * height > MAX_TOTAL_PIXELS) {
                    throw new IOException(name + ": more than " + out.size() + " frames of " + width + " x " + height
                            + " exceed the limit of " + MAX_TOTAL_PIXELS + " decoded pixels");
                }
                if (canvas == null) {
                    canvas = new int[width * height];
                }
                byte[] indices = lzw(w * h, out.size() + 1);
                int[] before = disposal == 3 ? canvas.clone() : null;
                draw(canvas, width, height, indices, colours, transparent, left, top, w, h, (p & 0x40) != 0);
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                frame.setRGB(0, 0, width, height, canvas, 0, width);
                out.add(frame);
                if (disposal == 2) {
                    clear(canvas, width, height, left, top, w, h);
                } else if (disposal == 3) {
                    System.arraycopy(before, 0, canvas, 0, canvas.length);
                }
                disposal = 0;
                transparent = -1;
            } else {
                throw new IOException(name + ": corrupt (unknown block 0x" + Integer.toHexString(block) + " at byte " + (pos - 1) + ")");
            }
        }
        if (out.isEmpty()) {
            throw new IOException(name + ": no frame in the GIF");
        }
        return out;
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

    /** Decodes one frame's LZW stream into {@code count} colour indices. */
    private byte[] lzw(int count, int frame) throws IOException {
        int min = u8();
        if (min < 1 || min > 11) {
            throw new IOException(name + ": frame " + frame + " has LZW minimum code size " + min + "; allowed: 1 .. 11");
        }
        byte[] data = subBlocks();
        byte[] px = new byte[count];
        int clear = 1 << min, end = clear + 1;
        int[] prefix = new int[4096];
        byte[] suffix = new byte[4096];
        byte[] stack = new byte[4097];
        for (int i = 0; i < clear; i++) {
            suffix[i] = (byte) i;
        }
        int size = min + 1, next = clear + 2, old = -1, first = 0, n = 0;
        long bits = 0;
        int held = 0, at = 0;
        while (n < count) {
            while (held < size && at < data.length) {
                bits |= (long) (data[at++] & 255) << held;
                held += 8;
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
                px[n++] = suffix[code];
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
                px[n++] = stack[--top];
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
        return px;
    }

    /** Draws a frame's indices onto the canvas (rows in interlaced order if set), skipping the transparent index. */
    private static void draw(int[] canvas, int width, int height, byte[] idx, int[] colours, int transparent,
                             int left, int top, int w, int h, boolean interlaced) {
        int[] rows = rowOrder(h, interlaced);
        for (int r = 0; r < h; r++) {
            int y = top + rows[r];
            if (y >= height) {
                continue;
            }
            for (int x = 0; x < w && left + x < width; x++) {
                int i = idx[r * w + x] & 255;
                if (i != transparent) {
                    canvas[y * width + left + x] = i < colours.length ? colours[i] : 0;
                }
            }
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

    private static void clear(int[] canvas, int width, int height, int left, int top, int w, int h) {
        for (int y = top; y < Math.min(height, top + h); y++) {
            for (int x = left; x < Math.min(width, left + w); x++) {
                canvas[y * width + x] = 0;
            }
        }
    }

    private byte[] subBlocks() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int n = u8(); n != 0; n = u8()) {
            need(n);
            data.write(b, pos, n);
            pos += n;
        }
        return data.toByteArray();
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

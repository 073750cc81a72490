package tpdiff4j.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal named-tensor file: magic "TPD4JT1", entry count, then per entry its name (UTF), element count and
 * float32 values (big-endian). Shapes live in the model config; names key everything.
 */
final class TensorFile {

    private static final String MAGIC = "TPD4JT1";

    private TensorFile() {
    }

    static void write(OutputStream raw, Map<String, float[]> tensors) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
        out.writeUTF(MAGIC);
        out.writeInt(tensors.size());
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (float v : e.getValue()) {
                out.writeFloat(v);
            }
        }
        out.flush();
    }

    /** The bytes {@link #write} writes, for a checksum before the file is written. */
    static byte[] bytes(Map<String, float[]> tensors) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        write(out, tensors);
        return out.toByteArray();
    }

    /** The most entries a file may list (a model has a few hundred parameters). */
    static final int MAX_ENTRIES = 1 << 20;

    /**
     * Reads a whole file, checking every count against the bytes that are left before allocating anything.
     *
     * @throws IOException naming the file and what is wrong (bad magic, truncated inside an entry, a count larger
     *                     than the file, trailing bytes)
     */
    static Map<String, float[]> read(Path file) throws IOException {
        tpdiff4j.schedule.AtomicFiles.requireFile(file, "a tensor file written by a checkpoint save");
        long size = Files.size(file);
        try (InputStream raw = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
            long[] left = {size};
            String where = file.toString();
            try {
                String magic = size < 2 + MAGIC.length() ? null : in.readUTF();
                if (!MAGIC.equals(magic)) {
                    throw new IOException(where + ": not a tpdiff4j tensor file (" + size + " bytes, no " + MAGIC + " header)");
                }
                left[0] -= 2 + MAGIC.length() + 4;
                int n = in.readInt();
                if (n < 0 || n > MAX_ENTRIES) {
                    throw new IOException(where + ": entry count " + n + "; allowed: 0 .. " + MAX_ENTRIES);
                }
                Map<String, float[]> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    readEntry(in, left, where, i, n, out);
                }
                if (in.read() != -1) {
                    throw new IOException(where + ": trailing bytes after the last of " + n + " entries (corrupt)");
                }
                return out;
            } catch (EOFException e) {
                throw new IOException(where + ": truncated (" + size + " bytes): the file ends before its last entry", e);
            } catch (java.io.UTFDataFormatException e) {
                throw new IOException(where + ": corrupt (an entry name is not valid modified UTF-8)", e);
            }
        }
    }

    /**
     * The bytes {@link DataOutputStream#writeUTF} stores for {@code s} (modified UTF-8: the character 0 takes two
     * bytes, a character outside the BMP six), which UTF-8 would undercount.
     */
    static int storedLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
        }
        return n;
    }

    /** Reads entry {@code i} (of {@code n}) into {@code out}, counting the bytes left. */
    private static void readEntry(DataInputStream in, long[] left, String where, int i, int n, Map<String, float[]> out)
            throws IOException {
        String name = in.readUTF();
        left[0] -= 2 + storedLength(name) + 4;
        int count = in.readInt();
        if (count < 0 || 4L * count > left[0]) {
            throw new IOException(where + ": entry " + (i + 1) + " of " + n + " (" + tpdiff4j.schedule.StrictJson.excerpt(name) + ") claims " + count
                    + " values but " + Math.max(0, left[0]) + " bytes are left (truncated or corrupt)");
        }
        if (out.containsKey(name)) {
            throw new IOException(where + ": entry " + tpdiff4j.schedule.StrictJson.excerpt(name) + " appears twice");
        }
        float[] v = new float[count];
        for (int j = 0; j < count; j++) {
            v[j] = in.readFloat();
        }
        left[0] -= 4L * count;
        out.put(name, v);
    }
}

package tpdiff4j.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    static Map<String, float[]> read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        String magic = in.readUTF();
        if (!MAGIC.equals(magic)) {
            throw new IOException("not a tpdiff4j tensor file (magic " + magic + ")");
        }
        int n = in.readInt();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            float[] v = new float[in.readInt()];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.readFloat();
            }
            out.put(name, v);
        }
        return out;
    }
}

package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tensor file's reader counts the bytes an entry name takes in the file exactly, so its size checks hold. */
class TensorFileTest {

    @Test
    void theStoredLengthOfANameIsWhatWriteUtfWrites() throws IOException {
        for (String name : new String[] {"", "patch.w", "\0", "a\0b", "é", "ǅ", "€", "日本", "\uD83D\uDE00", "x\uFFFF"}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            new DataOutputStream(b).writeUTF(name);
            assertEquals(b.size() - 2, TensorFile.storedLength(name), name);
        }
    }

    @Test
    void aCountBeyondTheFileIsRefusedWhateverCharactersTheNameHas(@TempDir Path dir) throws IOException {
        // a name of 1000 NUL characters takes 2000 bytes; counted as UTF-8 (1000) the 1000 bytes too many let a count
        // of 250 values more than the file holds pass the size check, and the reader allocated and read to the end
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeUTF("TPD4JT1");
        out.writeInt(1);
        out.writeUTF("\0".repeat(1000));
        out.writeInt(10 + 200);
        for (int i = 0; i < 10; i++) {
            out.writeFloat(i);
        }
        Path file = Files.write(dir.resolve("weights.bin"), b.toByteArray());
        IOException e = assertThrows(IOException.class, () -> TensorFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": entry 1 of 1 (") && e.getMessage().contains("claims 210 values but 40"
                + " bytes are left"), e.getMessage());
        assertTrue(e.getMessage().contains("...' (1000 characters)") && e.getMessage().length() < 300,
                "a long name is quoted in part: " + e.getMessage().length() + " characters");
    }
}

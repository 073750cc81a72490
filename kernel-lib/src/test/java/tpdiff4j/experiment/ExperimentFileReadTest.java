package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tpdiff4j.data.SpriteVideos;

/** Files that are not experiment files at all, picked by mistake or received damaged: named before they are parsed. */
class ExperimentFileReadTest {

    private static final SpriteVideos DATA = SpriteVideos.builder().withFrames(4).withSize(16).build();

    private static String failure(Path file) {
        return assertThrows(UncheckedIOException.class, () -> ExperimentResult.load(file, DATA)).getMessage();
    }

    @Test
    void aBinaryFileIsNamedWithTheByteThatIsNotText(@TempDir Path dir) throws Exception {
        Path gif = Files.write(dir.resolve("result.json"), new byte[] {'G', 'I', 'F', '8', '9', 'a', 1, 0, (byte) 0x80});
        String m = failure(gif);
        assertTrue(m.contains(gif + ": not UTF-8 text (byte 8 of 9 is 0x80); allowed: an experiment file"), m);
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("weights.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(ExperimentResult.MAX_FILE_BYTES + 1); // sparse: no disk space used
        }
        String m = failure(big);
        assertTrue(m.contains(big + ": " + (ExperimentResult.MAX_FILE_BYTES + 1) + " bytes; allowed: an experiment file"
                + " written by ExperimentResult.save of at most " + ExperimentResult.MAX_FILE_BYTES + " bytes"), m);
    }

    @Test
    void aFolderIsNamedAsAFolder(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("result.json"));
        assertEquals("cannot read experiment from " + folder + ": java.io.IOException: " + folder + ": is a folder;"
                + " allowed: an experiment file written by ExperimentResult.save", failure(folder));
    }
}

package tpdiff4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first text drawn in a JVM loads its fonts, and that loading cleared a pending interrupt: after a notebook's
 * Kernel → Interrupt ended a training (the flag still set), the first figure shown or saved swallowed the interrupt,
 * so the rest of the cell ran on as if none had come. Fonts load once per JVM, so this runs in a fresh one.
 */
class FirstDrawingInterruptTest {

    /** In a fresh JVM: sets the flag, draws and saves a figure and a frame strip, prints whether the flag is set. */
    public static void main(String[] args) throws Exception {
        Thread.currentThread().interrupt();
        Figure f = Figure.line(new double[] {0, 1}, new double[] {0, 1}).title("first text of this JVM");
        f.toImage();
        boolean afterImage = Thread.currentThread().isInterrupted();
        f.savePng(Path.of(args[0]));
        boolean afterSave = Thread.currentThread().isInterrupted();
        Video.of(new float[][][][] {{{{0f}}}}).stripImage();
        System.out.println("afterImage=" + afterImage + " afterSave=" + afterSave + " afterStrip="
                + Thread.currentThread().isInterrupted());
    }

    @Test
    void theFirstFigureOfAJvmKeepsAPendingInterrupt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                FirstDrawingInterruptTest.class.getName(), dir.resolve("f.png").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), out);
        assertEquals("afterImage=true afterSave=true afterStrip=true", out.lines().reduce((a, b) -> b).orElse(""));
    }
}

package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReportMain's command line: {@code seconds=abc} and {@code date=yesterday} ended in a stack trace, and an argument
 * given twice silently took the last value; each is refused naming the argument, the value and what it takes, and the
 * program exits with status 2 as BenchMain and AssignmentBench do.
 */
class ReportMainArgumentsTest {

    @Test
    void everyValueIsRead() {
        ReportMain.Options o = ReportMain.parse(new String[] {"out=build/x", "markdown=B.md", "images=docs/b",
                "command=environment/bench --preset full", "seconds=2395", "date=2026-11-30T13:01:27.5Z",
                "companion=BENCHMARKS-logitnormal.md"});
        assertEquals(Path.of("build/x"), o.out());
        assertEquals(Path.of("B.md"), o.markdown());
        assertEquals(Path.of("docs/b"), o.images());
        assertEquals("environment/bench --preset full", o.command());
        assertEquals(2395.0, o.seconds());
        assertEquals("2026-11-30T13:01:27Z", o.date());
        assertEquals("BENCHMARKS-logitnormal.md", o.companion());
        ReportMain.Options none = ReportMain.parse(new String[0]);
        assertEquals(Path.of("build/bench"), none.out());
        assertTrue(Double.isNaN(none.seconds()), "no length unless given");
        assertNull(none.date());
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgumentTheValueAndWhatItTakes() {
        String[][] cases = {
            {"seconds=abc"}, {"seconds=-1"}, {"seconds=NaN"}, {"seconds=Infinity"}, {"date=yesterday"}, {"out="},
            {"seconds=1", "seconds=2"}, {"--verbose"},
        };
        String[] expected = {
            "seconds = 'abc'; allowed: the run's length in seconds (a number of at least 0)",
            "seconds = '-1'; allowed: the run's length", "seconds = 'NaN'; allowed:", "seconds = 'Infinity'; allowed:",
            "date = 'yesterday'; allowed: an instant in UTC such as 2026-11-30T13:01:27Z", "out = ''; allowed: a path",
            "seconds is given twice: give it once", "unknown argument '--verbose'; allowed: out=DIR",
        };
        assertEquals(cases.length, expected.length);
        for (int c = 0; c < cases.length; c++) {
            String[] args = cases[c];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportMain.parse(args),
                    String.join(" ", args));
            assertTrue(e.getMessage().contains(expected[c]), String.join(" ", args) + ": " + e.getMessage());
        }
    }

    /** The program itself: exit status 2, one line naming the argument, no stack trace, nothing written. */
    @Test
    void aBadSecondsEndsTheProgramWithStatus2AndNoStackTrace(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), ReportMain.class.getName(), "out=" + dir, "seconds=12s")
                .redirectErrorStream(true).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, output);
        assertEquals(2, p.exitValue(), output);
        assertEquals("[bench] seconds = '12s'; allowed: the run's length in seconds (a number of at least 0)",
                output.strip());
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent(), "no report from a refused command line");
        }
    }
}

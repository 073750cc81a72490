package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shell scripts write numbers into files that programs read (notebooks.json of environment/bench, read by
 * {@code bench.ExternalResults} as JSON). awk's and the shell's printf write a fraction in the locale's notation:
 * under de_DE.UTF-8 {@code printf "%.1f"} gives {@code 2,2}, and {@code {"seconds": 2,2}} is not JSON. Every awk or
 * shell printf that formats a fraction therefore runs with {@code LC_ALL=C} on the same line.
 */
class EnvironmentScriptNumbersTest {

    private static final Pattern FRACTION = Pattern.compile("%[-+ 0#]*[0-9]*(\\.[0-9]+)?[fFeEgG]");
    private static final Pattern FORMATTER = Pattern.compile("(^|[\\s$(;|&])(awk|printf)\\s");

    @Test
    void everyFractionAScriptFormatsIsWrittenWithAPoint() throws IOException {
        Path env = Checkout.root().resolve("environment");
        List<String> bad = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.list(env)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                if (lines.isEmpty() || !lines.get(0).startsWith("#!") || !lines.get(0).contains("sh")) {
                    continue; // Python and templates format numbers without the locale
                }
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.strip().startsWith("#") || !FORMATTER.matcher(line).find()
                            || !FRACTION.matcher(line).find()) {
                        continue;
                    }
                    checked++;
                    if (!line.contains("LC_ALL=C ")) {
                        bad.add(env.relativize(f) + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        }
        assertTrue(checked > 0, "the notebook timing of environment/bench formats a fraction: the scan must see it");
        assertEquals(List.of(), bad, "a fraction formatted in the caller's locale (LC_ALL=C missing)");
    }
}

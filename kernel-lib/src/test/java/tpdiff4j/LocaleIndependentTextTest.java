package tpdiff4j;

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
 * Text the library writes does not depend on the user's locale: every {@code String.format}, {@code printf},
 * {@code toLowerCase} and {@code toUpperCase} in main code names its locale. Without one, a German locale prints
 * {@code t = 0,1234} in progress lines and messages, and a Turkish one lower-cases {@code "VELOCITY"} to
 * {@code "velocıty"} (dotless i), which no longer matches a name.
 */
class LocaleIndependentTextTest {

    /** A call that formats or changes case with the default locale: no {@code Locale} argument. */
    private static final Pattern DEFAULT_LOCALE = Pattern.compile(
            "String\\.format\\(\\s*\"|\\.printf\\(\\s*\"|\\.formatted\\(|\\.to(Lower|Upper)Case\\(\\s*\\)");

    @Test
    void mainCodeFormatsAndChangesCaseWithAGivenLocale() throws IOException {
        Path main = Checkout.root().resolve("kernel-lib/src/main/java");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                        continue; // Javadoc and comments
                    }
                    if (DEFAULT_LOCALE.matcher(code).find()) {
                        found.add(main.relativize(f) + ":" + (i + 1) + ": " + code);
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "calls that use the default locale (give Locale.ROOT):\n" + String.join("\n", found));
    }
}

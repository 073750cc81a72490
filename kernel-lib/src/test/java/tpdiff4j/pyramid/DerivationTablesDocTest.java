package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * The worked numbers that docs/derivation.md prints in its tables are what the library computes: the stage windows of
 * section 10 (flow matching, K = 3, F = 16, both conventions) and the jump example of section 9.3 (scale, noise weight
 * and the moments each rule hands the next stage). The tables are read from the page, so an edit of either side that
 * breaks the agreement fails here. Each printed number must match to half a unit of its last printed digit.
 */
class DerivationTablesDocTest {

    private static final NoiseSchedule FM = Schedules.flowMatching();
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(?:\\.[0-9]+)?");

    private static List<String> section(String headingStart) throws Exception {
        List<String> lines = Files.readAllLines(tpdiff4j.Checkout.root().resolve("docs/derivation.md"));
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lines) {
            if (l.startsWith("## ") || l.startsWith("### ")) {
                in = l.startsWith(headingStart);
            } else if (in) {
                out.add(l);
            }
        }
        assertTrue(!out.isEmpty(), "docs/derivation.md has no heading starting with " + headingStart);
        return out;
    }

    /** The table rows (lines starting with "|", header and rule lines skipped) as lists of cells. */
    private static List<String[]> rows(List<String> section) {
        List<String[]> rows = new ArrayList<>();
        for (String l : section) {
            if (l.startsWith("|") && !l.startsWith("|---") && !l.startsWith("| |") && !l.startsWith("| stage")) {
                String[] cells = l.substring(1, l.length() - 1).split("\\|", -1);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].strip();
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    private static List<String> numbers(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(cell);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Asserts that {@code printed} is {@code actual} rounded to the digits printed. */
    private static void assertPrinted(String printed, double actual, String what) {
        double half = 0.5 * Math.pow(10, -Math.max(0, new BigDecimal(printed).scale()));
        assertEquals(Double.parseDouble(printed), actual, half + 1e-12, what + ": printed " + printed);
    }

    @Test
    void section10WindowsAreThePyramidsWindows() throws Exception {
        List<String[]> rows = rows(section("## 10. "));
        assertEquals(3, rows.size(), "three stage rows");
        WindowConvention[] conventions = {WindowConvention.A, WindowConvention.B};
        for (int c = 0; c < 2; c++) {
            TemporalPyramid p = TemporalPyramid.builder(FM, 16).withStages(3).withConvention(conventions[c]).build();
            for (int i = 0; i < 3; i++) {
                String[] row = rows.get(i);
                assertEquals(String.valueOf(i), row[0]);
                assertEquals(String.valueOf(p.stage(i).frames()), row[1], "frames of stage " + i);
                List<String> window = numbers(row[2 + c]);
                assertEquals(2, window.size(), row[2 + c]);
                assertPrinted(window.get(0), p.stage(i).end(), conventions[c] + " stage " + i + " end");
                assertPrinted(window.get(1), p.stage(i).start(), conventions[c] + " stage " + i + " start");
            }
        }
    }

    @Test
    void section93WorkedExampleIsWhatTheRulesHandOver() throws Exception {
        List<String[]> rows = rows(section("### 9.3 "));
        assertEquals(3, rows.size(), "wanted, corrected and printed rows");
        TemporalPyramid p = TemporalPyramid.uniform(FM, 3, 16);
        double s = p.stage(1).start(), e = p.stage(0).end();
        assertEquals(2.0 / 3, s, 1e-15);
        String intro = String.join(" ", section("### 9.3 "));
        assertTrue(intro.contains("e=\\sqrt2/(1+\\sqrt2)=0.5858"), "the example's e");
        assertPrinted("0.5858", e, "e");
        double ge = FM.gamma(e), se = FM.sigma(e);
        // wanted: the training start gamma_s A + sigma_s eps
        List<String> wanted = new ArrayList<>();
        for (int q = 3; q < 6; q++) {
            wanted.addAll(numbers(rows.get(0)[q]));
        }
        assertPrinted(wanted.get(0), FM.gamma(s), "wanted mean / A");
        assertPrinted(wanted.get(1), FM.sigma(s) * FM.sigma(s), "wanted variance");
        assertPrinted(wanted.get(2), 0.0, "wanted correlation");
        JumpRule[] rules = {JumpRule.CORRECTED, JumpRule.PAPER_PRINTED};
        for (int r = 0; r < 2; r++) {
            StageJump j = p.jump(0, rules[r]);
            double a = j.scale(), w = j.noiseWeight();
            // the repeated frame carries the shared noise a sigma_e n, the block noise adds +-w m
            double variance = a * a * se * se + w * w, covariance = a * a * se * se - w * w;
            double[] got = {a, w, a * ge, variance, covariance / variance};
            String[] row = rows.get(r + 1);
            for (int q = 0; q < 5; q++) {
                List<String> printed = numbers(row[1 + q]);
                assertEquals(1, printed.size(), row[1 + q]);
                assertPrinted(printed.get(0), got[q], rules[r] + " column " + (q + 1));
            }
        }
    }

    /**
     * The frame-count table of section 14: each row's (F, K) is accepted or refused as the row says, each quoted
     * fragment of a refusal (split at "...") is in the library's message for one of the row's cases, and the
     * "allowed K <= n" the row names is the one the message offers.
     */
    @Test
    void section14FrameCountTableIsWhatThePyramidSays() throws Exception {
        List<String> table = new ArrayList<>();
        boolean in = false;
        for (String l : section("## 14. ")) {
            in = l.startsWith("**Frame counts.**") || (in && !l.startsWith("**"));
            if (in && l.startsWith("| $")) {
                table.add(l);
            }
        }
        assertTrue(table.size() >= 5, "rows of the frame-count table: " + table);
        Pattern fk = Pattern.compile("\\$F=([0-9]+)\\$");
        Pattern quoted = Pattern.compile("`([^`]+)`");
        Pattern allowed = Pattern.compile("allowed \\$K\\\\le([0-9]+)\\$");
        for (String line : table) {
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            String cases = cells[0], result = cells[1].strip();
            Matcher k = Pattern.compile("\\$K=([0-9]+)\\$").matcher(cases);
            assertTrue(k.find(), "a K in " + cases);
            int stages = Integer.parseInt(k.group(1));
            List<String> messages = new ArrayList<>();
            Matcher f = fk.matcher(cases);
            int count = 0;
            while (f.find()) {
                count++;
                int frames = Integer.parseInt(f.group(1));
                try {
                    TemporalPyramid.uniform(FM, stages, frames);
                    assertTrue(result.startsWith("accepted"), "F = " + frames + ", K = " + stages + " is accepted: " + line);
                } catch (IllegalArgumentException e) {
                    assertTrue(result.startsWith("refused"), "F = " + frames + ", K = " + stages + " is refused ("
                            + e.getMessage() + "): " + line);
                    messages.add(e.getMessage());
                }
            }
            assertTrue(count > 0, "an F in " + cases);
            String all = String.join("\n", messages);
            Matcher q = quoted.matcher(result);
            while (q.find()) {
                for (String part : q.group(1).split("\\.\\.\\.")) {
                    assertTrue(all.contains(part.strip()), "'" + part.strip() + "' is in the message: " + all);
                }
            }
            Matcher a = allowed.matcher(result);
            if (a.find()) {
                assertTrue(all.contains("K <= " + a.group(1) + " "), "the message allows K <= " + a.group(1) + ": " + all);
            }
        }
    }
}

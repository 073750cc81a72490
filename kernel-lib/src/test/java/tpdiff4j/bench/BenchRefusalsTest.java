package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The bench package's refusals of bad values have the project's one form, {@code name = value; allowed: ...}: an
 * IllegalArgumentException naming the argument, the value given and what is allowed.
 */
class BenchRefusalsTest {

    private static String refusal(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void statsRefuseAQuantileOutsideZeroToOneAndSamplesTheyCannotSummarize() {
        assertEquals("q = 1.5; allowed: a number in [0, 1]", refusal(() -> Stats.quantile(1.5, 1, 2)));
        assertEquals("sample[1] = NaN; allowed: a finite number", refusal(() -> Stats.mean(1, Double.NaN)));
        assertEquals("sample = empty; allowed: at least one value", refusal(() -> Stats.median()));
        assertEquals("sample = null; allowed: at least one value", refusal(() -> Stats.max((double[]) null)));
        assertEquals("sample = 1 value(s); allowed: at least 2 (for a standard deviation)", refusal(() -> Stats.std(3)));
    }

    @Test
    void anExponentFitNamesTheArrayOrPointItCannotUse() {
        assertEquals("x = null; allowed: an array of at least 2 positive values, x and y of equal length",
                refusal(() -> ExponentFit.fit(null, new double[] {1, 2})));
        assertEquals("x.length = 2, y.length = 3; allowed: x and y of equal length, at least 2",
                refusal(() -> ExponentFit.fit(new double[] {1, 2}, new double[] {1, 2, 3})));
        assertEquals("point 1 = (2.0, -1.0); allowed: positive, finite coordinates (for a log-log fit)",
                refusal(() -> ExponentFit.fit(new double[] {1, 2}, new double[] {1, -1})));
        assertEquals("x = 2 values all equal to 4.0; allowed: at least two distinct values (an exponent cannot be"
                + " fitted to one x)", refusal(() -> ExponentFit.fit(new double[] {4, 4}, new double[] {1, 2})));
    }

    @Test
    void tablesAndChartsNameTheRowOrSeriesThatDoesNotFit() {
        assertEquals("rows[1] = [a] (1 cells) in table 'T'; allowed: 2 cells, one per column of the header",
                refusal(() -> new Table("s", "T", List.of("x", "y"), List.of(List.of("1", "2"), List.of("a")))));
        assertEquals("id = 'Bad Id'; allowed: a name of the characters [a-z0-9-]+ (it names the PNG file)",
                refusal(() -> ChartSpec.line("Bad Id", "t", "x", "y", false, false)));
        assertEquals("y = 1 values in series 's'; allowed: one value per x or category (2)",
                refusal(() -> ChartSpec.Series.line("s", new double[] {1, 2}, new double[] {1})));
        assertEquals("x = null, categories = null in series 's'; allowed: numeric x (a line) or categories (bars)",
                refusal(() -> new ChartSpec.Series("s", null, null, new double[0], false)));
        ChartSpec.Series bars = ChartSpec.Series.bars("b", new String[] {"a"}, new double[] {1});
        assertEquals("series = 'b' (categories) in LINE chart 'c'; allowed: a series with numeric x",
                refusal(() -> ChartSpec.line("c", "t", "x", "y", false, false).with(bars)));
    }

    @Test
    void aReportRefusesABadKeyAndANonFiniteNumber() {
        String key = refusal(() -> new Report().put("meta", 1));
        assertTrue(key.startsWith("key = 'meta'; allowed: a dotted identifier such as 'train.stepTimeRatio'"), key);
        assertEquals("train.stepTimeRatio = Infinity; allowed: a finite number (a report holds finite numbers only)",
                refusal(() -> new Report().put("train.stepTimeRatio", Double.POSITIVE_INFINITY)));
    }

    @Test
    void presetsAndTimeDrawsRefuseUnknownNamesAndValuesOutOfRange() {
        assertEquals("preset = 'medium'; allowed: quick or full", refusal(() -> Preset.named("medium")));
        String model = refusal(() -> Preset.quick().withModelSize("huge"));
        assertTrue(model.startsWith("model = 'huge'; allowed: one of ["), model);
        assertEquals("learningRate = 1.5; allowed: a number in (0, 1)", refusal(() -> Preset.quick().withLearningRate(1.5)));
        assertEquals("trainSeconds = 0.0; allowed: a positive number of seconds",
                refusal(() -> Preset.quick().withTrainSeconds(0)));
        String seeds = refusal(() -> Preset.quick().withSeeds(0));
        assertTrue(seeds.startsWith("seeds = 0, evalPoints = ") && seeds.contains(" in preset quick; allowed: seeds,"
                + " evalPoints and batch at least 1, evalClips and realClips at least 2, frames at least 4"), seeds);
        String times = refusal(() -> Preset.quick().withTimes(null));
        assertTrue(times.startsWith("times = null; allowed: one of ["), times);
        assertEquals("times = 'cosine'; allowed: uniform or logitnormal", refusal(() -> RaceTimes.named("cosine")));
    }

    @Test
    void aChildProcessCommandLineNamesTheBadArgument() {
        String count = refusal(() -> SeedProcess.childOptions(new String[] {"p.json", "1"}));
        assertTrue(count.startsWith("arguments = 2; allowed: at least 4, as in the usage SeedProcess PRESET_JSON_FILE"),
                count);
        assertEquals("--arms = 'PAPER'; allowed: arm names from [VANILLA, TPDIFF_ALIGNED, TPDIFF_UNALIGNED]",
                refusal(() -> SeedProcess.childOptions(new String[] {"p.json", "1", "out.json", "--arms=VANILLA,PAPER"})));
        assertEquals("--arms = missing; allowed: --arms=A,B,.. naming arms from [VANILLA, TPDIFF_ALIGNED, TPDIFF_UNALIGNED]",
                refusal(() -> SeedProcess.childOptions(new String[] {"p.json", "1", "out.json", "--quiet"})));
        assertEquals(List.of(BenchArm.VANILLA, BenchArm.TPDIFF_ALIGNED),
                SeedProcess.childOptions(new String[] {"p.json", "1", "out.json", "--arms=VANILLA,TPDIFF_ALIGNED"}).arms());
    }
}

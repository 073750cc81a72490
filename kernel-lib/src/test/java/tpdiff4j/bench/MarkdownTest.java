package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MarkdownTest {

    private static Report sample() {
        Report r = new Report();
        r.put("train.stepTimeRatio", 0.8125).put("train.timeToQualityRatio", 0.625).put("train.qualityRatio", 0.95)
                .put("sample.speedup30", 1.375).put("assignment.n64.ratioToScipy", 0.5)
                .put("assignment.n256.ratioToScipy", 1.25).put("assignment.n1024.ratioToScipy", 0.75)
                .put("align.overheadFraction", 0.0125).put("kernel.coldStartSeconds", 2.5)
                .put("kernel.cellRoundTripMillis", 4.25).put("scaling.train.exponent", 0.5)
                .put("kernel.ipython.cellRoundTripMillis", 2.5).put("kernel.cellRoundTripRatioToIPython", 1.7);
        r.meta("command", "environment/bench --preset full").meta("preset", "full").meta("date", "2026-11-25T20:15:00Z");
        r.table(Table.of("sample", "Latency | batch", "config", "ms").row("vanilla", 12.5));
        r.chart(ChartSpec.bar("sample-latency", "Latency chart", "c", "ms")
                .with(ChartSpec.Series.bars("b1", new String[] {"a"}, new double[] {1})));
        return r;
    }

    @Test
    void headlineShowsEveryNumberWithItsReferenceRatioAndVerdict() {
        String md = Markdown.render(sample(), id -> "docs/bench/" + id + ".png");
        assertTrue(md.contains("`environment/bench --preset full`"), md);
        assertTrue(md.contains("2026-11-25T20:15:00Z"));
        for (String k : Report.REQUIRED) {
            assertTrue(md.contains("`" + k + "`"), k);
        }
        // time-to-quality 0.625 against the paper's 1/2.13: ratio 0.625 * 2.13 = 1.331, goal <= 0.5 not met
        assertTrue(md.contains("| 0.6250 | 0.4695 (paper: 2.13x faster"), md);
        assertTrue(md.contains("| 1.331 | <= 0.5000 | **no** |"), md);
        // assignment n = 1024 at 0.75 of scipy: goal met
        assertTrue(md.contains("| 0.7500 | 1 (scipy.optimize.linear_sum_assignment on the same matrix) | 0.7500 | <= 1 | yes |"), md);
        assertFalse(md.contains("Not measured in this run"));
        // the exponent row: 0.5 against the goal >= 1.8 for the attention-bound headline model
        assertTrue(md.contains("| `scaling.train.exponent` |") && md.contains("| >= 1.800 | **no** |"), md);
    }

    @Test
    void theSecondRowModelIsDescribedUnderTheHeadlineModel() {
        Report r = sample();
        com.google.gson.JsonObject fac = new com.google.gson.JsonObject();
        fac.addProperty("preset", "tiny");
        r.meta("factorizedModel", fac);
        String md = Markdown.render(r, id -> null);
        assertTrue(md.contains("Second row (step costs only, not trained to quality): preset: tiny"), md);
    }

    @Test
    void theTwoTrainingTimeDrawsGetTheirOwnTitlesAndLinkEachOther() {
        Report paper = sample().meta("times", "uniform").meta("companion", "BENCHMARKS-logitnormal.md");
        String md = Markdown.render(paper, id -> null);
        assertTrue(md.startsWith("# tpdiff4j benchmarks\n"), md);
        assertTrue(md.contains("the paper's method (uniform times, three uniform stages). The same benchmarks with a named "
                + "option for the race, each in a run of its own: [BENCHMARKS-logitnormal.md](BENCHMARKS-logitnormal.md)."), md);
        Report option = sample().meta("times", "logitnormal").meta("companion", "BENCHMARKS.md");
        String ln = Markdown.render(option, id -> null);
        assertTrue(ln.startsWith("# tpdiff4j benchmarks: logit-normal training times (a named option)\n"), ln);
        assertTrue(ln.contains("The training race of this page gives both arms logit-normal(0, 1) diffusion times"), ln);
        assertTrue(ln.contains("not the paper's method (uniform times, three uniform stages), whose race is on "
                + "[BENCHMARKS.md](BENCHMARKS.md)."), ln);
        String alone = Markdown.render(sample(), id -> null);
        assertFalse(alone.contains("named option"), "no companion, no link: " + alone);
    }

    /**
     * A race with four stages names them in the title, says at which frame counts they train and how the 30 sampling
     * steps split, links the paper's page, and holds its own pyramid's batch-1 sampling to the sampling goal; the
     * paper's page links every page of a named option.
     */
    @Test
    void aFourStageRaceGetsItsOwnTitleAndItsPyramidsSamplingGoal() {
        Report four = sample().meta("stages", new com.google.gson.JsonPrimitive(4)).meta("companion", "BENCHMARKS.md");
        four.put("sample.k4.speedup.b1", 1.996);
        String md = Markdown.render(four, id -> null);
        assertTrue(md.startsWith("# tpdiff4j benchmarks: four pyramid stages (a named option)\n"), md);
        assertTrue(md.contains("The training race of this page gives TPDiff 4 uniform stages instead of the paper's 3, "
                + "trained at 2, 4, 8 and 16 frames, and samples them with 8/8/7/7 of the 30 steps. That is a named option, "
                + "not the paper's method (uniform times, three uniform stages), whose race is on [BENCHMARKS.md](BENCHMARKS.md)."),
                md);
        assertTrue(md.contains("| `sample.k4.speedup.b1` | K = 4 stages (8/8/7/7 steps), batch 1, vanilla / TPDiff (the pyramid "
                + "of this page's race) | 1.996 |"), md);
        assertTrue(md.contains("| >= 1.900 | yes |"), md);

        Report both = sample().meta("stages", new com.google.gson.JsonPrimitive(4)).meta("times", "logitnormal");
        String b = Markdown.render(both, id -> null);
        assertTrue(b.startsWith("# tpdiff4j benchmarks: logit-normal training times and four pyramid stages (named options)\n"), b);
        assertTrue(b.contains("over their windows, and gives TPDiff 4 uniform stages") && b.contains(". Those are named options, "),
                b);

        Report paper = sample().meta("companion", "BENCHMARKS-logitnormal.md,BENCHMARKS-stages4.md");
        paper.put("sample.k4.speedup.b1", 1.996);
        String p = Markdown.render(paper, id -> null);
        assertTrue(p.contains("each in a run of its own: [BENCHMARKS-logitnormal.md](BENCHMARKS-logitnormal.md), "
                + "[BENCHMARKS-stages4.md](BENCHMARKS-stages4.md)."), p);
        assertTrue(p.contains("| `sample.k4.speedup.b1` | K = 4 stages (8/8/7/7 steps), batch 1, vanilla / TPDiff | 1.996 |"
                + "  |  |  |  |"), "no goal where the race has three stages: " + p);
    }

    @Test
    void sectionsCarryTablesWithEscapedCellsAndImages() {
        String md = Markdown.render(sample(), id -> "docs/bench/" + id + ".png");
        assertTrue(md.contains("## Sampling latency at 30 steps"));
        assertTrue(md.contains("**Latency | batch**"));
        assertTrue(md.contains("| vanilla | 12.50 |"), md);
        assertTrue(md.contains("![Latency chart](docs/bench/sample-latency.png)"));
        assertFalse(md.contains("## Training: vanilla"), "a section without tables or charts is left out");
    }

    @Test
    void missingKeysAreNamed() {
        Report r = new Report().put("sample.speedup30", 1.2);
        String md = Markdown.render(r, id -> null);
        assertTrue(md.contains("**Not measured in this run:** train.stepTimeRatio, train.timeToQualityRatio"), md);
    }

    @Test
    void htmlPageHasOnePlotlyChartPerSpec() {
        String html = HtmlPage.render(sample(), Optional.of("/* plotly */"), "charts");
        assertTrue(html.contains("<div id=\"sample-latency\"><div id=\"tpdiff4j-fig-"), html);
        assertTrue(html.contains("\"type\":\"bar\""));
        String noJs = HtmlPage.render(sample(), Optional.empty(), "charts");
        assertTrue(noJs.contains("<img src=\"charts/sample-latency.png\""));
    }
}

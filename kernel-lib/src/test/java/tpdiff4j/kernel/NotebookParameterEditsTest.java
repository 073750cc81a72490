package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tpdiff4j.Checkout;

/**
 * The notebooks' parameter cells invite edits ("or your own", "K = 2, 4 work too"): a teacher sets another stage count
 * K or frame count and runs the cells that depend on them. Each edit here is made as a teacher would make it, in the
 * notebook's own parameter cell as committed, and the cells from the top of the notebook down to the last one that
 * reads the parameter run in one fresh kernel session (the kernel's own evaluator, the notebook imports), each cell's
 * value rendered as the kernel renders it. Cells that train for long are not run; the cells up to them are.
 *
 * <p>The edits are the pyramids a frame count can hold (F divisible by 2^(K-1)): K/F = 3/8, 2/16, 1/16, 4/32, 3/12 and
 * the committed 3/16, plus the other natural edits of each notebook (the stage checked in notebook 02, the clip length
 * of notebooks 05 and 07). A pyramid that the frame count cannot hold is refused by the library with its own message:
 * that is not what these edits test.
 */
class NotebookParameterEditsTest extends InQuickMode {

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    /**
     * One edit of a notebook.
     *
     * @param notebook the file in notebooks/
     * @param from     the committed text of the parameter cell that the edit replaces (it must occur exactly once)
     * @param to       the text a teacher writes instead
     * @param until    a text of the last cell to run: the run ends after the first code cell that holds it
     */
    record Edit(String notebook, String from, String to, String until) {

        @Override
        public String toString() {
            return notebook + ": " + to;
        }
    }

    /** K/F pairs that a teacher sets: every one of them a pyramid the frame count holds. */
    private static final int[][] PYRAMIDS = {{3, 8}, {2, 16}, {1, 16}, {4, 32}, {3, 12}, {3, 16}};

    static Stream<Edit> edits() {
        List<Edit> out = new ArrayList<>();
        for (int[] kf : PYRAMIDS) {
            int k = kf[0], f = kf[1];
            out.add(new Edit("00-kernel-tour.ipynb", "TemporalPyramid.uniform(fm, 3, 16)",
                    "TemporalPyramid.uniform(fm, " + k + ", " + f + ")", "Plots.stageWindows(p)"));
            out.add(new Edit("02-stagewise-derivation.ipynb", "int K = 3, frames = 16;",
                    "int K = " + k + ", frames = " + f + ";" + (k == 1 ? " int stageIndexEdit = 0;" : ""),
                    "TemporalPyramid p1 = TemporalPyramid.uniform(schedule, 1, frames);"));
            if (k > 1) {   // notebook 04 is about the jumps between stages: K = 1 has none
                out.add(new Edit("04-stage-jumps.ipynb", "TemporalPyramid.uniform(fm, 3, 16)",
                        "TemporalPyramid.uniform(fm, " + k + ", " + f + ")", "Figure.grid(3, covs"));
            }
            out.add(new Edit("06-prototype-a-schedule.ipynb", "TemporalPyramid.uniform(mine, 3, 16)",
                    "TemporalPyramid.uniform(mine, " + k + ", " + f + ")", "Plots.costModel("));
        }
        // notebook 02: the stage checked, first and last of the committed K = 3
        for (int stage : new int[] {0, 2}) {
            out.add(new Edit("02-stagewise-derivation.ipynb", "int stageIndex = 1;", "int stageIndex = " + stage + ";",
                    "TemporalPyramid p1 = TemporalPyramid.uniform(schedule, 1, frames);"));
        }
        // notebook 01: the schedule the solvers integrate, as its prose suggests (vpCosine is refused there by design)
        for (String path : new String[] {"quarter", "sd15", "animateDiff", "cosine"}) {
            out.add(new Edit("01-schedules.ipynb", "NoiseSchedule path = fm;", "NoiseSchedule path = " + path + ";",
                    "conv = conv.add("));
        }
        // notebook 02: the schedule its comment offers, and flow matching
        for (String schedule : new String[] {"Schedules.cosine(1000)", "Schedules.flowMatching()"}) {
            out.add(new Edit("02-stagewise-derivation.ipynb", "Schedules.scaledLinear(0.00085, 0.012, 1000); // SD 1.5",
                    schedule + "; // SD 1.5", "TemporalPyramid p1 = TemporalPyramid.uniform(schedule, 1, frames);"));
        }
        // notebook 03: the batch of its prose (n = 4, where the squared distance rises) and the smallest one allowed
        for (int n : new int[] {4, 2, 3}) {
            out.add(new Edit("03-data-noise-alignment.ipynb", "int n = Knobs.pick(128, 512);", "int n = " + n + ";",
                    "Plots.straightness(pathAl)"));
        }
        // notebook 04: a discrete schedule, which its prose says works end to end
        out.add(new Edit("04-stage-jumps.ipynb", "NoiseSchedule fm = Schedules.flowMatching();",
                "NoiseSchedule fm = Schedules.scaledLinear(0.00085, 0.012, 1000);", "Figure.grid(3, covs"));
        // notebook 05: the clip length and K (its training cells are not run: the trainers are built)
        for (int f : new int[] {8, 12, 32}) {
            out.add(new Edit("05-train-tpdiff.ipynb", "int frames = 16;", "int frames = " + f + ";",
                    "double quality(Trainer t"));
        }
        for (int k : new int[] {1, 2, 4}) {
            out.add(new Edit("05-train-tpdiff.ipynb", "int stages = 3;", "int stages = " + k + ";",
                    "double quality(Trainer t"));
        }
        // notebook 07: the clip length under its own pyramid of three stages (boundaries 0.5 and 0.25)
        for (int f : new int[] {8, 12, 32}) {
            out.add(new Edit("07-your-own-pyramid.ipynb", "int frames = 16;", "int frames = " + f + ";",
                    "Plots.stageWindows(pyramid)"));
        }
        // notebook 07: the pyramid of one's own, with one boundary (K = 2) or three (K = 4) on the committed 16 frames
        for (String boundaries : new String[] {"0.5", "0.75, 0.5, 0.25", "0.6, 0.2"}) {
            out.add(new Edit("07-your-own-pyramid.ipynb", "withBoundaries(0.5, 0.25)",
                    "withBoundaries(" + boundaries + ")", "Plots.stageWindows(pyramid)"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void theCellsThatReadTheEditedParametersRun(Edit edit) throws Exception {
        List<String> cells = editedCells(edit);
        try (CellEvaluator ev = CellEvaluator.withPreload()) {
            // display(x) needs a running kernel to send to; here it renders x as the kernel would and drops it
            ev.run("String display(Object value, String... mimeTypes) { tpdiff4j.kernel.MimeBundles.as(value,"
                    + " mimeTypes); return \"display\"; }");
            for (int i = 0; i < cells.size(); i++) {
                String cell = cells.get(i);
                try {
                    MimeBundles.ofCellValue(ev.run(cell));
                } catch (Exception | Error e) {
                    String report = ANSI.matcher(String.join("\n", ErrorReport.traceback(e, ev.stopOf(e).orElse(null),
                            ev::declaredLine))).replaceAll("");
                    throw new AssertionError(edit.notebook() + " with the edit \"" + edit.to() + "\": code cell "
                            + (i + 1) + " fails (it starts with \"" + cell.lines().findFirst().orElse("") + "\"):\n"
                            + report, e);
                }
                if (cell.contains(edit.until())) {
                    return;
                }
            }
        }
    }

    /**
     * The code cells of the edited notebook, as a teacher has them after the edit: the committed text replaced once,
     * magic lines left out (the session of this test has no magics), cut after the last cell to run.
     */
    static List<String> editedCells(Edit edit) throws IOException {
        String json = Files.readString(Checkout.root().resolve("notebooks").resolve(edit.notebook()),
                StandardCharsets.UTF_8);
        List<String> cells = new ArrayList<>(LoadedNotebook.codeCells(json, edit.notebook()));
        long holding = cells.stream().filter(c -> c.contains(edit.from())).count();
        assertEquals(1, holding, edit.notebook() + ": the parameter text \"" + edit.from() + "\" in exactly one cell");
        int last = -1;
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (c.contains(edit.from())) {
                assertEquals(c.indexOf(edit.from()), c.lastIndexOf(edit.from()), "once in its cell");
                c = c.replace(edit.from(), edit.to());
            }
            if (edit.to().contains("stageIndexEdit")) {   // K = 1: the only stage is stage 0
                c = c.replace("int stageIndex = 1;", "int stageIndex = 0;");
            }
            cells.set(i, c.lines().filter(l -> !l.stripLeading().startsWith("%")).reduce("", (a, b) -> a + b + "\n"));
            if (last < 0 && c.contains(edit.until())) {
                last = i;
            }
        }
        assertTrue(last >= 0, edit.notebook() + ": no code cell holds \"" + edit.until() + "\"");
        return cells.subList(0, last + 1);
    }

    /** The edits reach the cells they are meant for, and a parameter text that is gone from a notebook is caught. */
    @Test
    void theEditsAreMadeWhereTheNotebooksHoldTheirParameters() throws IOException {
        Edit cost = new Edit("06-prototype-a-schedule.ipynb", "TemporalPyramid.uniform(mine, 3, 16)",
                "TemporalPyramid.uniform(mine, 3, 8)", "Plots.costModel(");
        List<String> cells = editedCells(cost);
        assertTrue(cells.get(cells.size() - 1).contains("Plots.costModel("), "ends with the cost cell");
        assertEquals(1, cells.stream().filter(c -> c.contains("TemporalPyramid.uniform(mine, 3, 8)")).count());
        assertTrue(cells.stream().noneMatch(c -> c.contains("trainer.train(")), "the training cell is not run");
        AssertionError gone = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> editedCells(
                new Edit("06-prototype-a-schedule.ipynb", "uniform(mine, 5, 99)", "x", "Plots.costModel(")));
        assertTrue(gone.getMessage().contains("in exactly one cell"), gone.getMessage());
        assertTrue(edits().count() >= 30, "every notebook parameter edit listed");
    }
}

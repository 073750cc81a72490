package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Runs seeded random programs cell by cell through the kernel's {@link CellEvaluator} and compares what they print
 * with the same program compiled by javac as one class ({@link CompiledPrograms}).
 *
 * <p>The model: a notebook user expects each name to mean its latest declaration, and a variable to keep the value
 * it was given even when something its initializer used (a variable declared again with another type, a method
 * declared again with another body or return type) changes later. The single program expresses exactly that by
 * giving every declaration of a name its own name ({@code v3_p7__2}), so each use names the declaration current at
 * that point, and values computed before stay as they were. Programs whose notebook meaning no single program can
 * have are not generated ({@link CellProgramGenerator} lists what is left out: methods that read the cells'
 * variables, lambdas and classes that call the cells' methods, records declared again, imports that shadow a name).
 *
 * <p>The programs run in a few sessions, one after the other, with names that end in the program's number, so that
 * a long session is tested too. A program whose output differs is shrunk ({@link CellProgramShrinker}) in fresh
 * sessions, and the failure shows the smallest program found, both outputs and the kernel's notes.
 */
class CellSequenceDifferentialTest {

    private static final int PROGRAMS = 120;
    private static final int PER_SESSION = 20;
    private static final long FIRST_SEED = 20_261_204L;

    /** What a program printed as notebook cells, and the kernel's notes and errors. */
    private record NotebookRun(String out, String notes) {
    }

    @Test
    void everyProgramPrintsAsNotebookCellsWhatItPrintsAsOneProgram() throws Exception {
        List<CellProgram> programs = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < PROGRAMS; i++) {
            CellProgram p = CellProgramGenerator.generate(FIRST_SEED + i, "_p" + i);
            programs.add(p);
            sources.put("Program" + i, p.javaSource("Program" + i, Preload.imports()));
        }
        Map<String, String> expected = CompiledPrograms.run(sources);
        List<Integer> differing = new ArrayList<>();
        CellEvaluator ev = null;
        try {
            for (int i = 0; i < PROGRAMS; i++) {
                if (i % PER_SESSION == 0) {
                    if (ev != null) {
                        ev.close();
                    }
                    ev = CellEvaluator.withPreload();
                }
                if (!runCells(ev, programs.get(i)).out().equals(expected.get("Program" + i))) {
                    differing.add(i);
                }
            }
        } finally {
            if (ev != null) {
                ev.close();
            }
        }
        if (!differing.isEmpty()) {
            CellProgram first = programs.get(differing.get(0));
            CellProgram small = CellProgramShrinker.shrink(first, CellSequenceDifferentialTest::differs, 60);
            String single = expectedOutput(small);
            NotebookRun cells = alone(small);
            fail(differing.size() + " of " + PROGRAMS + " programs print something else as notebook cells (programs "
                    + differing + "); the first, shrunk:\n" + small + "--- as one program it prints:\n" + single
                    + "--- as cells:\n" + cells.out() + "--- the kernel's notes and errors:\n" + cells.notes());
        }
        assertTrue(expected.values().stream().filter(o -> !o.isEmpty()).count() > PROGRAMS * 3 / 4,
                "most programs print something");
    }

    /** @return whether {@code p} still prints something else as cells (in a fresh session) than as one program */
    private static boolean differs(CellProgram p) {
        try {
            return !alone(p).out().equals(expectedOutput(p));
        } catch (Exception | AssertionError e) {
            return false; // the candidate is no program any more (a part it needs was dropped)
        }
    }

    private static String expectedOutput(CellProgram p) throws Exception {
        return CompiledPrograms.run(Map.of("Shrunk", p.javaSource("Shrunk", Preload.imports()))).get("Shrunk");
    }

    private static NotebookRun alone(CellProgram p) throws Exception {
        try (CellEvaluator ev = CellEvaluator.withPreload()) {
            return runCells(ev, p);
        }
    }

    /** Runs the cells of {@code p} one by one; a cell that fails is noted in the output, and the rest do not run. */
    private static NotebookRun runCells(CellEvaluator ev, CellProgram p) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        PrintStream printedStream = new PrintStream(printed, true, StandardCharsets.UTF_8);
        PrintStream notesStream = new PrintStream(notes, true, StandardCharsets.UTF_8);
        System.setOut(printedStream);
        System.setErr(notesStream);
        try {
            List<String> cells = p.cellTexts();
            for (int c = 0; c < cells.size(); c++) {
                try {
                    ev.run(cells.get(c));
                } catch (Exception | Error e) {
                    String detail = e instanceof CompileError ce ? String.join("\n", ce.traceback()) : e.toString();
                    printedStream.println("[cell " + (c + 1) + " failed: " + e + "]");
                    notesStream.println("cell " + (c + 1) + ": " + detail);
                    break;
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new NotebookRun(printed.toString(StandardCharsets.UTF_8), notes.toString(StandardCharsets.UTF_8));
    }
}

package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A cell stopped by Kernel → Interrupt ends with the cell thread's interrupt flag still set (a trainer that returns
 * early sets it again for its caller; the kernel's stop at the next library step throws with it set). The kernel then
 * asks JShell's compiler about the statements that did not run (which variables they would have declared), and javac
 * reads the class files of the class path's jars through interruptible channels: one read on an interrupted thread
 * closed that jar for the rest of the session, and every later cell that needed a class from it failed to compile
 * with "bad class file ... ClosedChannelException" until a restart (seen in notebook 05 after an interrupted timing
 * cell: the next Figure.of(...) did not compile).
 */
class InterruptedCellJarsTest {

    @Test
    void aCellStoppedWithTheFlagSetLeavesTheJarsReadable() throws Exception {
        CellEvaluator ev = new CellEvaluator(); // a fresh session: the classes below were never read by its compiler
        try {
            // opens commons-math3's jar for the compiler while nothing is interrupted
            assertEquals(1.0, ev.run("org.apache.commons.math3.util.FastMath.abs(-1.0)"));
            CellInterrupted stopped = assertThrows(CellInterrupted.class, () -> ev.run(
                    "if (true) { // one statement that ends with the flag set, as an interrupted library step does\n"
                    + "    Thread.currentThread().interrupt();\n"
                    + "    throw new IllegalStateException(\"stopped\");\n"
                    + "}\n"
                    + "var notRun = java.util.List.of(org.apache.commons.math3.special.Gamma.class);"));
            assertTrue(stopped.getMessage().startsWith("the cell was interrupted"), stopped.getMessage());
            assertTrue(Thread.interrupted(), "the flag stays set for the cell thread, which clears it before the next cell");
            assertEquals(0.5, ev.run("org.apache.commons.math3.special.Beta.regularizedBeta(0.5, 1.0, 1.0)"),
                    "a class of that jar that the compiler had not read yet still compiles after the interrupt");
            assertEquals(2.0, ev.run("org.apache.commons.math3.special.Gamma.gamma(3.0)"));
        } finally {
            Thread.interrupted();
            ev.close();
        }
    }
}

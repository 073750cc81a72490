package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code sizes=64,abc} ended in a NumberFormatException's stack trace, and {@code sizes=0} reached the solver. */
class AssignmentBenchArgumentsTest {

    @Test
    void matrixSizesAreWholeNumbersOfAtLeastOne() {
        assertArrayEquals(new int[] {64, 256}, AssignmentBench.sizes("64, 256"));
        for (String bad : new String[] {"64,abc", "0", "64,-1", "64,", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AssignmentBench.sizes(bad), bad);
            assertTrue(e.getMessage().startsWith("sizes = '") && e.getMessage().contains(
                    "allowed: a comma-separated list of whole numbers of at least 1 (got '" + bad + "')"), e.getMessage());
        }
    }
}

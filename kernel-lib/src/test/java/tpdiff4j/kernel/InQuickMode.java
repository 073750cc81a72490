package tpdiff4j.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that runs notebook or documentation code extends this: the code runs in quick mode
 * ({@code TPDIFF4J_QUICK=1}, the budgets the test command uses) for the class's tests, and the setting is put back as
 * it was after them.
 */
abstract class InQuickMode {

    private static String quickBefore;

    @BeforeAll
    static void quickMode() {
        quickBefore = System.getProperty("TPDIFF4J_QUICK");
        Knobs.set("TPDIFF4J_QUICK", "1");
    }

    @AfterAll
    static void quickModeAsBefore() {
        Knobs.set("TPDIFF4J_QUICK", quickBefore);
    }
}

package tpdiff4j;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that makes arrays extends this: {@link #manager} is open for the class's tests (and its static
 * helpers) and closed after them, so that every array a test leaves behind is freed with it.
 */
public abstract class WithNDManager {

    /** The arrays' manager of the running test class. */
    protected static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }
}

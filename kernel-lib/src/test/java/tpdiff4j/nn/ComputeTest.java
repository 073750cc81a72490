package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Thread defaults and settings, and the device facade. */
class ComputeTest {

    /** Two sockets of two cores with two hyper-threads each: 8 logical CPUs, 4 physical cores. */
    static final String TWO_SOCKETS = block(0, 0, 0) + block(1, 0, 0) + block(2, 0, 1) + block(3, 0, 1)
            + block(4, 1, 0) + block(5, 1, 0) + block(6, 1, 1) + block(7, 1, 1);

    static String block(int processor, int physical, int core) {
        return "processor\t: " + processor + "\nmodel name\t: Test CPU\nphysical id\t: " + physical
                + "\nsiblings\t: 4\ncore id\t\t: " + core + "\ncpu cores\t: 2\n\n";
    }

    @Test
    void physicalCoresCountDistinctSocketCorePairsCappedByTheAvailableProcessors() {
        assertEquals(4, Compute.physicalCores(TWO_SOCKETS, 8), "hyper-threads are not cores");
        assertEquals(3, Compute.physicalCores(TWO_SOCKETS, 3), "a container limit of 3 CPUs wins");
        assertEquals(6, Compute.physicalCores("processor : 0\nFeatures : fp asimd\n", 6), "no core ids: all CPUs");
        assertEquals(5, Compute.physicalCores("", 5));
        int d = Compute.defaultThreads();
        assertTrue(d >= 1 && d <= Runtime.getRuntime().availableProcessors(), "default " + d);
    }

    @Test
    void theThreadSettingIsAPositiveIntegerOrTheDefault() {
        assertEquals(7, Compute.threadsSetting(null, 7));
        assertEquals(7, Compute.threadsSetting(" ", 7));
        assertEquals(2, Compute.threadsSetting(" 2 ", 7));
        for (String bad : new String[]{"0", "-1", "two", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Compute.threadsSetting(bad, 7));
            assertTrue(e.getMessage().equals("TPDIFF4J_THREADS = '" + bad + "'; allowed: a positive integer (CPU threads)"), e.getMessage());
        }
    }

    @Test
    void managersOpenOnTheKnobsDeviceAndTheDescriptionNamesIt() {
        try (NDManager m = Compute.newManager()) {
            assertEquals(Compute.device(), m.getDevice());
        }
        assertTrue(Compute.describe().contains("device " + Compute.device()), Compute.describe());
        assertThrows(IllegalStateException.class,
                () -> Compute.require(ai.djl.Device.gpu(ai.djl.engine.Engine.getInstance().getGpuCount())));
    }
}

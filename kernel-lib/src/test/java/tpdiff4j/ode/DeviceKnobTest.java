package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** The TPDIFF4J_DEVICE grammar, resolved against a given GPU count (no GPU needed), and its messages. */
class DeviceKnobTest {

    @Test
    void autoIsTheFirstGpuWhenThereIsOneElseTheCpu() {
        assertEquals(Device.cpu(), DeviceKnob.resolve(null, 0));
        assertEquals(Device.cpu(), DeviceKnob.resolve("  ", 0));
        assertEquals(Device.cpu(), DeviceKnob.resolve("auto", 0));
        assertEquals(Device.gpu(0), DeviceKnob.resolve("AUTO", 2));
        assertEquals(Device.gpu(0), DeviceKnob.resolve(null, 1));
    }

    @Test
    void cpuGpuAndGpuNAreHonoured() {
        assertEquals(Device.cpu(), DeviceKnob.resolve("cpu", 4));
        assertEquals(Device.cpu(), DeviceKnob.resolve(" CPU ", 0));
        assertEquals(Device.gpu(0), DeviceKnob.resolve("gpu", 1));
        assertEquals(Device.gpu(1), DeviceKnob.resolve("gpu:1", 2));
        assertEquals(Device.gpu(3), DeviceKnob.resolve("GPU:3", 4));
    }

    @Test
    void garbageNamesTheKnobTheValueAndTheGrammar() {
        for (String bad : new String[]{"tpu", "cuda", "gpu:", "gpu:-1", "gpu:x", "gpu 1", "cpu:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceKnob.resolve(bad, 8));
            assertTrue(e.getMessage().contains("TPDIFF4J_DEVICE = '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("auto, cpu, gpu, gpu:N"), e.getMessage());
        }
    }

    @Test
    void aMissingGpuIsOneReadableSentence() {
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> DeviceKnob.resolve("gpu", 0));
        String m = none.getMessage();
        assertTrue(m.startsWith("TPDIFF4J_DEVICE = 'gpu' asks for GPU 0"), m);
        assertTrue(m.contains("Engine.getGpuCount() = 0"), m);
        assertTrue(m.contains("environment/setup --gpu"), m);
        assertOneSentence(m);

        IllegalStateException few = assertThrows(IllegalStateException.class, () -> DeviceKnob.resolve("gpu:2", 2));
        assertTrue(few.getMessage().contains("asks for GPU 2") && few.getMessage().contains("only 2 GPUs (gpu:0 to gpu:1)"),
                few.getMessage());
        assertOneSentence(few.getMessage());
    }

    @Test
    void aDeviceChosenInCodeIsCheckedAgainstWhatDjlSees() {
        int count = Engine.getInstance().getGpuCount();
        assertEquals(Device.cpu(), DeviceKnob.requireAvailable(Device.cpu()));
        // the first GPU index that does not exist here: gpu(0) on this CPU-only machine
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceKnob.requireAvailable(Device.gpu(count)));
        assertTrue(e.getMessage().startsWith("device gpu(" + count + ") asks for GPU " + count), e.getMessage());
        assertOneSentence(e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceKnob.requireAvailable(null));
    }

    @Test
    void thePropertyWinsOverTheKernelKnobWhichWinsOverTheEnvironment() {
        String p = System.getProperty(DeviceKnob.PROPERTY), k = System.getProperty(DeviceKnob.NAME);
        try {
            System.clearProperty(DeviceKnob.PROPERTY);
            System.setProperty(DeviceKnob.NAME, "gpu:5");
            assertEquals("gpu:5", DeviceKnob.setting());
            System.setProperty(DeviceKnob.PROPERTY, " cpu ");
            assertEquals("cpu", DeviceKnob.setting());
            System.clearProperty(DeviceKnob.PROPERTY);
            System.clearProperty(DeviceKnob.NAME);
            if (System.getenv(DeviceKnob.NAME) == null) {
                assertNull(DeviceKnob.setting(), "unset: auto");
            }
        } finally {
            restore(DeviceKnob.PROPERTY, p);
            restore(DeviceKnob.NAME, k);
        }
    }

    /** The message a user sees: one line, one sentence ending in a full stop, short enough to read. */
    private static void assertOneSentence(String m) {
        assertFalse(m.contains("\n"), m);
        assertTrue(m.endsWith(".") && m.indexOf(". ") < 0, m);
        assertTrue(m.length() < 400, m.length() + " characters: " + m);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}

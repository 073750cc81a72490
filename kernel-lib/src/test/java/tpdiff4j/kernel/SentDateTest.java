package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * When a front end sent a request, read from its header's date: the kernel aborts the cells sent while a failing one
 * ran, and a cell sent a fraction of a millisecond after the error must not count as one of them.
 */
class SentDateTest {

    @Test
    void keepsTheMicrosecondsOfJupyterClientsDates() {
        // jupyter_client writes microseconds and Z; jjava-jupyter's own reader throws on this form
        long a = TpdiffKernel.sentMicros("2026-12-03T18:38:38.685118Z");
        long b = TpdiffKernel.sentMicros("2026-12-03T18:38:38.685119Z");
        assertEquals(1, b - a, "one microsecond apart");
        assertEquals(a, TpdiffKernel.sentMicros("2026-12-03T19:38:38.685118+01:00"));
        assertEquals(1_796_323_118_685_118L, a);
    }

    @Test
    void aDateWithoutAnOffsetOrNoneLeavesTheRequestToRun() {
        assertNull(TpdiffKernel.sentMicros("2026-12-03T18:38:38.685118"));
        assertNull(TpdiffKernel.sentMicros("yesterday"));
        assertNull(TpdiffKernel.sentMicros(null));
    }
}

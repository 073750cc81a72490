package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shift-Tab twice on the same spot gives the whole comment, as the kernel's help promises. */
class RepeatedInspectTest {

    @Test
    void theSameRequestAgainAsksForTheWholeComment() {
        RepeatedInspect r = new RepeatedInspect();
        assertFalse(r.detail("TemporalPyramid.uniform(", 24, false), "first press: the summary");
        assertTrue(r.detail("TemporalPyramid.uniform(", 24, false), "second press, same code and cursor");
        assertTrue(r.detail("TemporalPyramid.uniform(", 24, false), "third press too");
        assertFalse(r.detail("TemporalPyramid.uniform(fm", 26, false), "the cell changed: start over");
        assertFalse(r.detail("TemporalPyramid.uniform(", 24, false), "back to the old spot: a first press again");
        assertFalse(r.detail("TemporalPyramid.uniform(", 10, false), "another cursor");
        assertTrue(r.detail("Math.max", 8, true), "detail_level 1 from the front-end always counts");
    }
}

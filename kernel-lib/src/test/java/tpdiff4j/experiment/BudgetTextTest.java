package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A notebook prints its budget ({@code "budget " + budget}): the text names the limits that bound training and leaves
 * the unbounded one out, instead of a record's {@code Budget[steps=16, seconds=Infinity]}.
 */
class BudgetTextTest {

    @Test
    void theTextNamesOnlyTheLimitsThatBound() {
        assertEquals("16 steps", Budget.steps(16).toString());
        assertEquals("60.0 s", Budget.seconds(60).toString());
        assertEquals("100 steps or 8.5 s", Budget.of(100, 8.5).toString());
    }
}

package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TabulationTest {

    static final NoiseSchedule QUARTER = Schedules.of("quarter-circle", t -> Math.cos(t * Math.PI / 2),
            t -> Math.sin(t * Math.PI / 2));

    @Test
    void chosenTableMeetsTheToleranceOffTheCheckGridAndIsTheSmallestThatDoes() {
        for (double tol : new double[] {1e-5, 1e-7, 1e-9}) {
            Tabulation tab = Tabulation.of(QUARTER, tol);
            assertTrue(tab.maxError() <= tol, tab.toString());
            // independent check at random times (not on the check grid): the Hermite error peaks mid-interval, which
            // the check grid contains, so random points may not exceed the figure by more than rounding
            SplittableRandom r = new SplittableRandom(1);
            NoiseSchedule s = tab.schedule();
            for (int i = 0; i < 20000; i++) {
                double t = r.nextDouble();
                double err = Math.max(Math.max(Math.abs(s.gamma(t) - QUARTER.gamma(t)), Math.abs(s.sigma(t) - QUARTER.sigma(t))),
                        Math.max(Math.abs(s.gammaDot(t) - QUARTER.gammaDot(t)), Math.abs(s.sigmaDot(t) - QUARTER.sigmaDot(t))));
                assertTrue(err <= 1.1 * tol, "t = " + t + ": error " + err + " > tolerance " + tol);
            }
            if (tab.intervals() > Tabulation.MIN_INTERVALS) {
                NoiseSchedule half = Schedules.tabulated(QUARTER, tab.intervals() / 2);
                assertTrue(Tabulation.maxDeviation(QUARTER, half, tab.intervals() * 8) > tol,
                        "half the table would not do, so the size is the smallest of the doubling sequence");
            }
            assertEquals(Schedules.fromJson(s.toJson()), s, "the table has a JSON form");
        }
        // derivative error of cubic Hermite ~ sqrt(3) h^3 max|f''''| / 216 with max|f''''| = (pi/2)^4 ~ 6.1:
        // 1e-7 needs h^3 <= 2e-6, h <= 1/80, so 128 intervals
        assertEquals(128, Tabulation.of(QUARTER, 1e-7).intervals());
    }

    @Test
    void unreachableToleranceIsRefusedWithTheFigure() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tabulation.of(QUARTER, 1e-16));
        assertTrue(e.getMessage().contains("Schedules.tabulated") && e.getMessage().contains("1.0E-16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tabulation.of(QUARTER, 0));
    }

    /**
     * A schedule of two pieces joined at t = 0.3 with their exact derivatives: the slope of sigma jumps there, and the
     * table's deviation stays at the size of that jump however fine the table. The refusal says so and where, instead
     * of asking for the exact derivatives the schedule already has. A slope that is unbounded in a higher derivative at
     * an end (sigma = t^1.5 near 0 has a finite slope but no bounded second derivative) keeps the advice for the ends.
     */
    @Test
    void aKinkIsNamedAsOneWithItsTimeRatherThanAskingForDerivativesAlreadyGiven() {
        double after = 0.85 / 0.7;
        NoiseSchedule joined = Schedules.of("joined", t -> 1 - t, t -> t < 0.3 ? 0.5 * t : 0.15 + (t - 0.3) * after,
                t -> -1, t -> t < 0.3 ? 0.5 : after);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tabulation.of(joined));
        assertTrue(e.getMessage().contains("does not shrink as the table is refined")
                && e.getMessage().contains("largest near t = 0.3") && e.getMessage().contains("kink")
                && !e.getMessage().contains("give exact derivatives"), e.getMessage());
        NoiseSchedule steepEnd = Schedules.of("t^1.5", t -> 1 - t, t -> Math.pow(t, 1.5), t -> -1, t -> 1.5 * Math.sqrt(t));
        IllegalArgumentException end = assertThrows(IllegalArgumentException.class, () -> Tabulation.of(steepEnd, 1e-9));
        assertTrue(end.getMessage().contains("near its ends") && !end.getMessage().contains("kink"), end.getMessage());
    }

    /**
     * A discrete schedule (log-SNR linear between its 1000 steps) has a kink at every step, which no cubic table
     * follows: the refusal says that it needs no table (it has its own JSON form) instead of asking for exact
     * derivatives or smoothing, which only a schedule of Java functions can give.
     */
    @Test
    void scheduleWithItsOwnJsonIsToldItNeedsNoTable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tabulation.of(Schedules.cosine(1000)));
        assertTrue(e.getMessage().contains("'cosine(1000)'") && e.getMessage().contains("needs no table")
                && e.getMessage().contains("own exact JSON form") && !e.getMessage().contains("exact derivatives"),
                e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> Tabulation.of(QUARTER, 1e-16));
        assertTrue(f.getMessage().contains("exact derivatives") && !f.getMessage().contains("needs no table"),
                f.getMessage());
    }

    /**
     * Where the schedule is steep, the cubic pieces of a coarse table can overshoot (a gamma that rises between two
     * nodes) although the schedule itself is fine: the coarse table is not a valid schedule, but a finer one is, and
     * it is the one to keep, not a refusal that quotes the coarse table's values as if they were the schedule's.
     */
    @Test
    void aCoarseTableThatOvershootsGivesWayToAFinerOne() {
        double a = 3e-4, p = 0.5, a0 = Math.pow(a, p), norm = Math.pow(1 + a, p) - a0;   // sigma ~ sqrt(t + a)
        NoiseSchedule steep = Schedules.of("steep-root", t -> 1 - (Math.pow(t + a, p) - a0) / norm,
                t -> (Math.pow(t + a, p) - a0) / norm, t -> -p * Math.pow(t + a, p - 1) / norm,
                t -> p * Math.pow(t + a, p - 1) / norm);
        assertThrows(IllegalArgumentException.class, () -> Schedules.tabulated(steep, 64));   // the coarsest overshoots
        Tabulation t = Tabulation.of(steep, 0.1);
        assertTrue(t.intervals() > 64 && t.maxError() <= 0.1, t.intervals() + " intervals, error " + t.maxError());
    }

    @Test
    void functionScheduleJsonErrorNamesTabulated() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, QUARTER::toJson);
        assertTrue(e.getMessage().contains("Schedules.tabulated"), e.getMessage());
    }
}

package tpdiff4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;
import tpdiff4j.schedule.Tabulation;

/**
 * A class of one's own that implements {@link NoiseSchedule} is checked by the rules of {@code Schedules.of} when a
 * pyramid is built, and saved as a table (its own {@code toJson()} is never called), so that what is saved reads back
 * as the schedule that was trained.
 */
class OwnScheduleClassTest {

    /** Flow matching with time shift s in closed form: gamma = (1 - t) / d, sigma = s t / d, d = s t + 1 - t. */
    static class Shifted implements NoiseSchedule {
        final double s;
        final String json;

        Shifted(double s, String json) {
            this.s = s;
            this.json = json;
        }

        public String name() {
            return "shifted" + s;
        }

        private double d(double t) {
            return s * t + 1 - t;
        }

        public double gamma(double t) {
            return (1 - t) / d(t);
        }

        public double sigma(double t) {
            return s * t / d(t);
        }

        public double gammaDot(double t) {
            return -s / (d(t) * d(t));
        }

        public double sigmaDot(double t) {
            return s / (d(t) * d(t));
        }

        public double timeAtLogSnr(double l) {
            double r = Math.exp(-l / 2) / s;   // (1 - t) / (s t) = e^(l/2) / s  =>  t / (1 - t) = e^(-l/2) / s
            return r / (1 + r);
        }

        public String toJson() {
            if (json == null) {
                throw new UnsupportedOperationException("Shifted has no JSON form");
            }
            return json;
        }
    }

    @Test
    void aClassOfOnesOwnIsSavedAsATableOfItsOwnValues() {
        // its toJson() writes plain flow matching (shift 1): saving that wrote a configuration which read back as
        // another schedule than the one trained, without a word
        NoiseSchedule mine = new Shifted(3, "{\"type\": \"flowMatching\", \"version\": 1, \"shift\": 1.0}");
        TrainConfig config = TrainConfig.of(TemporalPyramid.uniform(mine, 2, 8), PredictionType.VELOCITY, 1);
        JsonObject saved = config.toJsonObject();
        assertTrue(saved.has("scheduleTable"), "the tabulation report is written: " + saved.keySet());
        NoiseSchedule back = TrainConfig.fromJsonObject(saved).pyramid().schedule();
        for (double t : new double[] {0.1, 0.25, 0.5, 0.75, 0.9}) {
            // the table holds within Tabulation.DEFAULT_TOLERANCE; shift 1 would be 0.07 to 0.2 away from shift 3
            assertEquals(mine.gamma(t), back.gamma(t), 2 * Tabulation.DEFAULT_TOLERANCE, "gamma at t = " + t);
            assertEquals(mine.sigma(t), back.sigma(t), 2 * Tabulation.DEFAULT_TOLERANCE, "sigma at t = " + t);
        }
        assertFalse(Tabulation.hasJson(mine));
        assertTrue(Tabulation.hasJson(Schedules.flowMatching(3)));
    }

    @Test
    void aPyramidOnAClassOfOnesOwnRefusesToWriteItsOwnJsonAndPointsToATable() {
        // the class's toJson() writes plain flow matching: the pyramid's JSON used to read back on shift 1, not 3
        NoiseSchedule mine = new Shifted(3, "{\"type\": \"flowMatching\", \"version\": 1, \"shift\": 1.0}");
        TemporalPyramid p = TemporalPyramid.uniform(mine, 2, 8);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, p::toJson);
        assertTrue(e.getMessage().contains("'shifted3.0'") && e.getMessage().contains("a class of one's own")
                && e.getMessage().contains("Tabulation.of(schedule)"), e.getMessage());
        TemporalPyramid stored = TemporalPyramid.fromJson(p.withSchedule(Tabulation.of(mine).schedule()).toJson());
        assertEquals(mine.gamma(0.3), stored.schedule().gamma(0.3), 2 * Tabulation.DEFAULT_TOLERANCE);
        e = assertThrows(UnsupportedOperationException.class,
                () -> TemporalPyramid.uniform(Schedules.of("q", t -> 1 - t, t -> t), 2, 8).toJson());
        assertTrue(e.getMessage().contains("'q'") && e.getMessage().contains("Schedules.of"), e.getMessage());
    }

    @Test
    void aClassWithoutJsonSavesAndWritesAPlan() {
        NoiseSchedule mine = new Shifted(3, null);   // toJson() throws, as NoiseSchedule allows
        TemporalPyramid p = TemporalPyramid.uniform(mine, 2, 8);
        TrainConfig config = TrainConfig.of(p, PredictionType.VELOCITY, 1);
        TrainConfig back = TrainConfig.fromJsonObject(config.toJsonObject());
        // saved, read and saved again: the same table (the report of how it was made is written only the first time)
        assertTrue(config.toJsonObject().get("pyramid").equals(back.toJsonObject().get("pyramid")),
                "the pyramid and its table are saved again as read");
        JsonObject plan = JsonParser.parseString(p.planJson(2, 2)).getAsJsonObject();
        assertTrue(plan.toString().contains("\"tabulated\""), "the plan carries the table");
        // the same schedule as the built-in flowMatching(3): the same stage windows, to rounding
        TemporalPyramid builtIn = TemporalPyramid.uniform(Schedules.flowMatching(3), 2, 8);
        for (int k = 0; k < 2; k++) {
            assertEquals(builtIn.stage(k).start(), p.stage(k).start(), 1e-12);
            assertEquals(builtIn.stage(k).end(), p.stage(k).end(), 1e-12);
        }
    }

    @Test
    void aClassThatBreaksARuleIsRefusedWhenThePyramidIsBuilt() {
        NoiseSchedule plain = new Shifted(1, null) {
        };
        IllegalArgumentException e;
        NoiseSchedule reversed = new NoiseSchedule() {
            public String name() {
                return "reversed";
            }

            public double gamma(double t) {
                return t;
            }

            public double sigma(double t) {
                return 1 - t;
            }

            public double gammaDot(double t) {
                return 1;
            }

            public double sigmaDot(double t) {
                return -1;
            }

            public double timeAtLogSnr(double l) {
                return 0.5;
            }

            public String toJson() {
                return "{}";
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(reversed, 3, 16));
        assertTrue(e.getMessage().contains("'reversed'") && e.getMessage().contains("swapped"), e.getMessage());
        NoiseSchedule halfSlope = new Shifted(2, null) {
            @Override
            public double sigmaDot(double t) {
                return super.sigmaDot(t) / 2;   // a factor of 2 lost
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(halfSlope, 2, 8));
        assertTrue(e.getMessage().contains("'shifted2.0'") && e.getMessage().contains("sigmaDot"), e.getMessage());
        NoiseSchedule wrongInverse = new Shifted(2, null) {
            @Override
            public double timeAtLogSnr(double l) {
                return new Shifted(1, null).timeAtLogSnr(l);   // the inverse of shift 1
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> TemporalPyramid.uniform(wrongInverse, 2, 8));
        assertTrue(e.getMessage().contains("timeAtLogSnr(") && e.getMessage().contains("'shifted2.0'")
                && e.getMessage().contains("inverse of logSnr"), e.getMessage());
        assertEquals(plain.gamma(0.5), TemporalPyramid.uniform(plain, 1, 4).schedule().gamma(0.5), 0.0);
    }
}

package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** An arm's result is a value: equal by content, as it is read back from a saved experiment. */
class ArmResultTest {

    private static ArmResult arm(float first, double sampleSeconds) {
        float[] clips = new float[2 * 4 * 1 * 2 * 2];
        clips[0] = first;
        QualityCurve curve = QualityCurve.empty("tpdiff").with(0, 0, 30).with(1.5, 40, 20);
        return new ArmResult("tpdiff", curve, 40, 1.5, 0.03, 0.4375, sampleSeconds,
                Map.of("frechet", 12.0, "covariance", Double.NaN), clips, new int[] {2, 4, 1, 2, 2});
    }

    @Test
    void twoArmsWithTheSameClipsAreEqual() {
        ArmResult a = arm(0.5f, Double.NaN), b = arm(0.5f, Double.NaN);
        assertEquals(a, b, "separate arrays of the same clips (a record compares arrays by identity)");
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, arm(-0.5f, Double.NaN), "other clips");
        assertNotEquals(a, arm(0.5f, 0.2), "other sampling time");
    }

    @Test
    void anArmReadBackFromJsonEqualsTheOneWritten() {
        com.google.gson.Gson g = new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();
        ArmResult a = arm(0.25f, 0.1);
        assertEquals(a, g.fromJson(g.toJson(a), ArmResult.class));
    }

    @Test
    void itsTextShowsTheClipsShapeNotAnArrayIdentity() {
        String s = arm(0.5f, 0.1).toString();
        assertTrue(s.contains("clips=2 of 4x1x2x2"), s);
        assertFalse(s.contains("[F@") || s.contains("[I@"), s);
    }
}

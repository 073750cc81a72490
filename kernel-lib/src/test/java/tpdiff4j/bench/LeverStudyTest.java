package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.train.StageTimeDraw;
import tpdiff4j.train.TrainConfig;

class LeverStudyTest {

    @Test
    void armNamesAreCheckedAgainstBothFamilies() {
        assertEquals(List.of("vanilla lr x2", "paper", "lr x3"), LeverStudy.armNames("vanilla lr x2,paper,lr x3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LeverStudy.armNames("paper,lr x4"));
        assertTrue(e.getMessage().startsWith("arms = 'lr x4'; allowed: arm names from ")
                && e.getMessage().contains("vanilla lr x3"), e.getMessage());
    }

    @Test
    void aValueThatIsNotANumberNamesItsArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LeverStudy.main(new String[] {"steps=4k"}));
        assertEquals("steps = '4k'; allowed: a whole number of steps", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeverStudy.main(new String[] {"seeds=1000,x"}));
        assertEquals("seeds = 'x'; allowed: seeds as whole numbers separated by commas", e.getMessage());
    }

    @Test
    void vanillaLeversChangeOneSettingOfAOneStageConfig() {
        TrainConfig v = BenchArm.VANILLA.config(16, 7);
        TrainConfig x2 = LeverStudy.vanillaLevers().get("vanilla lr x2").apply(v);
        TrainConfig x3 = LeverStudy.vanillaLevers().get("vanilla lr x3").apply(v);
        assertEquals(1, x2.stages());
        assertEquals(2 * v.learningRate(), x2.learningRate(), 0);
        assertEquals(3 * v.learningRate(), x3.learningRate(), 0);
        assertEquals(v.withLearningRate(x3.learningRate()), x3);
        assertEquals(v, LeverStudy.vanillaLevers().get("vanilla").apply(v));
        assertEquals(0.99, LeverStudy.vanillaLevers().get("vanilla ema 0.99").apply(v).emaDecay(), 0);
        TrainConfig ln = LeverStudy.vanillaLevers().get("vanilla time logitnormal").apply(v);
        assertEquals(1, ln.stages());
        assertEquals(StageTimeDraw.logitNormal(0, 1), ln.timeDraw());
        assertEquals(v.withTimeDraw(ln.timeDraw()), ln);
    }

    @Test
    void theFourStageLeverChangesOnlyThePyramid() {
        TrainConfig paper = BenchArm.TPDIFF_ALIGNED.config(16, 7);
        TrainConfig k4 = LeverStudy.levers().get("stages 4").apply(paper);
        assertEquals(4, k4.stages());
        assertEquals(List.of(2, 4, 8, 16), k4.pyramid().stages().stream().map(s -> s.frames()).toList());
        assertEquals(paper.withPyramid(k4.pyramid()), k4);
        assertEquals(paper.pyramid().schedule(), k4.pyramid().schedule());
    }
}

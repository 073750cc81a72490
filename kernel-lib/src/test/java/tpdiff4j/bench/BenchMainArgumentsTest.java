package tpdiff4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BenchMain's command line: {@code deadline=abc} ended in a NumberFormatException's stack trace, {@code model=huge}
 * was refused only after the machine description, and an argument given twice silently took the last value.
 */
class BenchMainArgumentsTest {

    @Test
    void aCheapSectionCanBeChosenAndEveryValueIsRead() {
        BenchMain.Options o = BenchMain.parse(new String[] {"sections=align", "out=build/x", "model=tiny", "--quiet",
                "deadline=1800000000", "times=logitnormal", "batch=16", "seeds=2", "stages=4"});
        assertEquals(List.of("align"), o.sections());
        assertEquals(Path.of("build/x"), o.out());
        assertEquals("tiny", o.preset().modelSize());
        assertEquals(RaceTimes.LOGIT_NORMAL, o.preset().times());
        assertEquals(1.8e9, o.deadline());
        assertTrue(o.quiet());
        assertEquals(16, o.preset().batch());
        assertEquals(2, o.preset().seeds());
        assertEquals(4, o.preset().stages());
        assertEquals(3, BenchMain.parse(new String[0]).preset().stages(), "the paper's three stages unless given");
        assertEquals(Preset.quick().batch(), BenchMain.parse(new String[0]).preset().batch(), "the preset's batch unless given");
        assertTrue(Double.isNaN(BenchMain.parse(new String[0]).deadline()), "no deadline unless given");
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgumentTheValueAndWhatItTakes() {
        String[][] cases = {
            {"deadline=abc"}, {"deadline=-5"}, {"model=huge"}, {"sections=align,warmup"}, {"preset=small"},
            {"out="}, {"preset=quick", "preset=full"}, {"--loud"}, {"batch=0"}, {"batch=8x"}, {"seeds=-1"},
            {"stages=0"}, {"stages=5"}, {"stages=1"},
        };
        String[] expected = {
            "deadline = 'abc'; allowed: a time in seconds since 1970", "deadline = '-5'; allowed: a time in seconds",
            "model = 'huge'; allowed: one of", "sections = 'align,warmup'; allowed: a comma-separated list of [scaling, align, sample, train] (section"
                + " 'warmup' is none of them)",
            "preset = 'small'; allowed: quick or full", "out = ''; allowed: a folder", "preset is given twice",
            "unknown argument '--loud'", "batch = '0'; allowed: a whole number of clips, at least 1",
            "batch = '8x'; allowed: a whole number of clips", "seeds = '-1'; allowed: a whole number of training seeds",
            "stages = '0'; allowed: a whole number of pyramid stages",
            "stages = 5; allowed: 2 to 4 stages for 16 frames (each stage halves the frame rate of the next, and the lowest keeps at least 2 frames)",
            "stages = 1; allowed: 2 to 4 stages for 16 frames",
        };
        for (int c = 0; c < cases.length; c++) {
            String[] args = cases[c];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchMain.parse(args),
                    String.join(" ", args));
            assertTrue(e.getMessage().contains(expected[c]), String.join(" ", args) + ": " + e.getMessage());
        }
    }
}

package tpdiff4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class NameHintsTest {

    private static final List<String> SAMPLER = List.of("wait", "engine", "equals", "sample", "steps", "notify",
            "solver", "pyramid", "getClass", "hashCode", "jumpRule", "schedule", "toString", "withSteps", "isPyramid",
            "notifyAll", "withSolver", "totalSteps", "withJumpRule", "withListener", "withProgress");

    @Test
    void aSlipOfOneOrTwoLettersFindsTheName() {
        assertEquals(List.of("withFrames"), NameHints.closest("withFrame", List.of("withSize", "withFrames", "build")));
        assertEquals(List.of("scaledLinear"), NameHints.closest("scaledlinear", List.of("linear", "scaledLinear")));
        assertEquals(List.of("withFrames"), NameHints.closest("with_frames", List.of("withFrames", "withSize")));
        assertEquals(List.of("frames"), NameHints.closest("frmaes", List.of("frames", "end", "start")), "a swap");
        assertEquals(List.of("withSolver"), NameHints.closest("withSovler", SAMPLER));
    }

    @Test
    void anotherLibrarysNameFindsTheMembersThatShareItsLastWord() {
        assertEquals(List.of("steps", "withSteps", "totalSteps"), NameHints.closest("numInferenceSteps", SAMPLER));
        assertEquals(List.of("steps", "withSteps", "totalSteps"), NameHints.closest("num_inference_steps", SAMPLER));
    }

    @Test
    void nothingCloseGivesNothing() {
        assertEquals(List.of(), NameHints.closest("set_timesteps", SAMPLER));
        assertEquals(List.of(), NameHints.closest("ddim", List.of("of", "linear", "cosine", "betas")));
        assertEquals(List.of(), NameHints.closest("x", List.of("x")), "the name itself is no hint");
        // one edit turns any short name into another: st is not a slip of s, nor p of x, nor xs of x0
        assertEquals(List.of(), NameHints.closest("st", List.of("s", "e", "t", "sd", "start")));
        assertEquals(List.of(), NameHints.closest("p", List.of("x", "i", "e")));
        assertEquals(List.of(), NameHints.closest("xs", List.of("x0", "x", "ys")));
        assertEquals(List.of("K"), NameHints.closest("k", List.of("K", "e")), "a short name in the other case is");
        assertEquals(List.of("eps"), NameHints.closest("esp", List.of("eps", "e")), "three letters: one edit");
    }

    @Test
    void editDistanceCountsASwapOfNeighboursAsOne() {
        assertEquals(0, NameHints.distance("abc", "abc"));
        assertEquals(1, NameHints.distance("abc", "acb"));
        assertEquals(1, NameHints.distance("abc", "abcd"));
        assertEquals(3, NameHints.distance("", "abc"));
        assertEquals("Steps", NameHints.lastWord("numInferenceSteps"));
        assertEquals("steps", NameHints.lastWord("num_inference_steps_"));
    }

    @Test
    void aRemovedMemberNamesItsReplacementWhereThatExists() {
        assertEquals("withProgress(false) (withQuiet(true) until 2 December 2026; progress is on by default)",
                NameHints.replacement("withQuiet", SAMPLER).orElseThrow());
        assertEquals(java.util.Optional.empty(), NameHints.replacement("withQuiet", List.of("withSize", "build")),
                "a type that never had withProgress gets no such line");
        assertEquals(List.of(), NameHints.closest("withQuiet", SAMPLER), "the spelling rules alone found nothing");
    }
}

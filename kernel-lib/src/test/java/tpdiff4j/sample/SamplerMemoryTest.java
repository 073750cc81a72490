package tpdiff4j.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.nn.Compute;
import tpdiff4j.nn.ModelConfig;
import tpdiff4j.nn.NetDenoiser;
import tpdiff4j.nn.SpaceTimeTransformer;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.schedule.Schedules;

/** A sampling batch whose attention cannot fit the machine is refused before anything is allocated. */
class SamplerMemoryTest {

    private static final double GIB = 1L << 30;
    /** 16 frames of 32x32 pixels, patch 1, full attention: 16384 tokens, 2 heads, so 2 GiB of weights a clip. */
    private static final ModelConfig FULL = ModelConfig.tiny(16, 1, 32, 32).withPatch(1)
            .withAttention(ModelConfig.Attention.FULL);

    @Test
    void aBatchBeyondMemoryIsRefusedWithTheClipsThatFit() {
        assertEquals(2 * GIB, FULL.attentionBytes(1, 16) / FULL.depth(), 1); // 4 B x 2 heads x 16384^2
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VideoSampler.refuseBeyondMemory(FULL, new Shape(16, 16, 1, 32, 32), 8 * GIB));
        for (String x : new String[] {"batch = 16", "32.00 GiB", "8.00 GiB", "16384 tokens", "FULL",
                "at most about 4 clips", "withPatch"}) {
            assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
        }
        VideoSampler.refuseBeyondMemory(FULL, new Shape(4, 16, 1, 32, 32), 8 * GIB); // 8 GiB: fits exactly
        e = assertThrows(IllegalArgumentException.class,
                () -> VideoSampler.refuseBeyondMemory(FULL, new Shape(1, 16, 1, 32, 32), 1 * GIB));
        assertTrue(e.getMessage().contains("not even one clip"), e.getMessage());
        // factorized attention: the spatial layer's sequences of 1024 tokens, 128 MiB a clip (the temporal layer's 16
        // tokens run after it): 64 clips take exactly 8 GiB and fit, 65 do not
        ModelConfig factorized = FULL.withAttention(ModelConfig.Attention.FACTORIZED);
        VideoSampler.refuseBeyondMemory(factorized, new Shape(64, 16, 1, 32, 32), 8 * GIB);
        e = assertThrows(IllegalArgumentException.class,
                () -> VideoSampler.refuseBeyondMemory(factorized, new Shape(65, 16, 1, 32, 32), 8 * GIB));
        assertTrue(e.getMessage().contains("8.13 GiB") && e.getMessage().contains("sequences of 1024 tokens")
                && e.getMessage().contains("at most about 64 clips"),
                e.getMessage());
    }

    @Test
    void theSamplerRefusesBeforeAllocatingAndTheNextCallWorks() {
        try (NDManager nd = Compute.newManager()) {
            // 256 frames of 32x32 at patch 1: one sequence of 262144 tokens, 512 GiB of attention weights for one
            // clip, while the clip, its noise and every other activation take a few MiB. Without the check PyTorch's
            // allocator fails inside the first network call (or, on a machine whose address space allows it, the
            // system ends the process once the pages are touched)
            ModelConfig huge = ModelConfig.tiny(256, 1, 32, 32).withPatch(1).withAttention(ModelConfig.Attention.FULL);
            NetDenoiser model = new NetDenoiser(new SpaceTimeTransformer(huge, nd), PredictionType.VELOCITY,
                    Schedules.flowMatching());
            VideoSampler sampler = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sampler.sample(model, nd, 1, new VideoSpec(256, 1, 32, 32), 1));
            assertTrue(e.getMessage().startsWith("batch = 1 clips of 256 frames is too big"), e.getMessage());
            assertTrue(e.getMessage().contains("512.00 GiB"), e.getMessage());
            // a model that fits samples on the same manager: 16 frames at patch 2, 128 MiB a clip
            NetDenoiser small = new NetDenoiser(new SpaceTimeTransformer(FULL.withPatch(2), nd), PredictionType.VELOCITY,
                    Schedules.flowMatching());
            NDArray one = sampler.sample(small, nd, 2, new VideoSpec(16, 1, 32, 32), 1);
            assertEquals(new Shape(2, 16, 1, 32, 32), one.getShape());
        }
    }

    /**
     * PyTorch's allocation failure below the up-front bound (memory that other processes hold) names the batch and
     * what to do instead of surfacing as the engine's bare message; the arrays of the failed call are freed and the
     * next call samples. The denoiser fails as PyTorch's CPU allocator does, on its third call.
     */
    @Test
    void anAllocationFailureWhileSamplingNamesTheBatch() {
        try (NDManager nd = Compute.newManager()) {
            int[] calls = {0};
            tpdiff4j.ode.Denoiser failing = tpdiff4j.ode.Denoiser.of(PredictionType.VELOCITY, (x, t) -> {
                if (++calls[0] == 3) {
                    throw new ai.djl.engine.EngineException("[enforce fail at alloc_cpu.cpp:119] err == 0."
                            + " DefaultCPUAllocator: can't allocate memory: you tried to allocate 8589934592 bytes.");
                }
                return x.mul(0.5f);
            });
            VideoSampler sampler = VideoSampler.vanilla(Schedules.flowMatching(), Solvers.euler(), 4);
            long before = nd.getManagedArrays().size();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sampler.sample(failing, nd, new Shape(6, 4, 1, 8, 8), 1));
            for (String x : new String[] {"sampling 6 clips", "ran out of memory", "can't allocate memory",
                    "batch = 6 now"}) {
                assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
            }
            assertEquals(before, nd.getManagedArrays().size(), "the failed call left arrays on the manager");
            NDArray next = sampler.sample(failing, nd, new Shape(6, 4, 1, 8, 8), 1);
            assertEquals(new Shape(6, 4, 1, 8, 8), next.getShape());
        }
    }
}

package tpdiff4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tpdiff4j.data.VideoSpec;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.pyramid.PyramidSampler;
import tpdiff4j.pyramid.TemporalOps;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.schedule.Schedules;

/**
 * Mistyped arguments to the notebook-facing factories and methods: each is refused at the call with an
 * {@link IllegalArgumentException} whose message names the parameter, the value given and what is allowed, instead of
 * a {@code NegativeArraySizeException}, a DJL error from deep inside, or a silent reading of the value. Every case
 * here was one of those before.
 */
class DslArgumentsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static final TemporalPyramid P3 = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16);
    static final Denoiser ZERO = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.zerosLike());

    /** A case: its label, the call (given the test's manager), and the fragments its message must contain. */
    static Arguments refused(String label, Function<NDManager, Object> call, String... fragments) {
        return Arguments.of(label, call, fragments);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // Integer.MAX_VALUE steps: steps + 1 times overflowed to a NegativeArraySizeException
                refused("TimeGrid.uniform(1, 0, Integer.MAX_VALUE)", m -> TimeGrid.uniform(1, 0, Integer.MAX_VALUE),
                        "steps = 2147483647", "allowed: 1 <= steps <= 1000000"),
                refused("TimeGrid.uniformLogSnr(.., Integer.MAX_VALUE)", m -> TimeGrid.uniformLogSnr(
                        Schedules.cosine(1000), 0.99, 0.01, Integer.MAX_VALUE), "steps = 2147483647", "allowed: 1 <= steps"),
                // DJL's -1 placeholder: a NegativeArraySizeException
                refused("GaussianNoise.normal(shape (-1, 3))", m -> GaussianNoise.normal(m, new Shape(-1, 3),
                        DataType.FLOAT32, 1), "shape = (-1, 3)", "size -1 on axis 0", "allowed: sizes >= 0"),
                // the pyramid sampler drew noise of a negative batch (NegativeArraySizeException) or sampled 0 clips
                refused("PyramidSampler.sample(batch -1)", m -> PyramidSampler.of(P3, Solvers.euler(), 2).sample(ZERO, m,
                        new Shape(-1, 16, 1, 4, 4), DataType.FLOAT32, 0), "fullShape = (-1, 16, 1, 4, 4)",
                        "allowed: [N, 16, ...] with every size >= 1"),
                refused("PyramidSampler.sample(batch 0)", m -> PyramidSampler.of(P3, Solvers.euler(), 2).sample(ZERO, m,
                        new Shape(0, 16, 1, 4, 4), DataType.FLOAT32, 0), "fullShape = (0, 16, 1, 4, 4)", "every size >= 1"),
                refused("PyramidSampler.sample(null shape)", m -> PyramidSampler.of(P3, Solvers.euler(), 2).sample(ZERO, m,
                        null, DataType.FLOAT32, 0), "fullShape = null", "allowed: "),
                // DJL's "The shape must be >= -1"
                refused("VideoSampler.sample(batch -3)", m -> VideoSampler.vanilla(Schedules.flowMatching(),
                        Solvers.euler(), 2).sample(ZERO, m, -3, new VideoSpec(16, 1, 4, 4), 0), "fullShape = (-3, 16, 1, 4, 4)",
                        "batch = -3", "allowed: [B, F, C, H, W] with every size >= 1"),
                // a null mode was taken as SUBSAMPLE
                refused("TemporalOps.down(x, 2, null)", m -> TemporalOps.down(m.zeros(new Shape(1, 4, 1)), 2, null),
                        "mode = null", "allowed: [SUBSAMPLE, AVERAGE]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedAtTheCallNamingParameterValueAndAllowed(String label, Function<NDManager, Object> call, String[] fragments) {
        try (NDManager m = manager.newSubManager()) {
            Executable e = () -> {
                Object r = call.apply(m);
                if (r instanceof NDArray a) {
                    a.close();
                }
            };
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e, label);
            for (String f : fragments) {
                assertTrue(ex.getMessage().contains(f), () -> label + ": '" + f + "' missing in: " + ex.getMessage());
            }
        }
    }
}

package tpdiff4j.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/** Bad settings of the covariance check, in code or on its command line, name themselves before any sampling. */
class PyramidCovarianceCheckArgumentsTest {

    @Test
    void theCommandLineReadsEverySetting() {
        PyramidCovarianceCheck.CommandLine cl = PyramidCovarianceCheck.CommandLine.parse("videos=300", "steps=4",
                "seed=7", "corr=0.5", "schedule=vpCosine", "solver=ddim", "type=V_PREDICTION", "out=build/x");
        PyramidCovarianceCheck.Config c = cl.config();
        assertEquals(300, c.videos());
        assertEquals(4, c.stepsPerStage());
        assertEquals(7, c.seed());
        assertEquals(0.5, c.corr());
        assertEquals(Schedules.vpCosine(), c.schedule());
        assertEquals(PredictionType.V_PREDICTION, c.type());
        assertTrue(c.solver().toString().toLowerCase().contains("ddim"), c.solver().toString());
        assertEquals(Path.of("build/x"), cl.out());
    }

    @Test
    void aBadArgumentNamesItselfAndWhatIsAllowed() {
        assertMessage("videos = 'abc'; allowed: a number (videos=N, steps=N,", "videos=abc");
        assertMessage("seed = 'x'; allowed: a number (", "seed=x");
        assertMessage("argument = 'steps'; allowed: name=value, e.g. videos=2000, with the names videos=N", "steps");
        assertMessage("type = 'velocity'; allowed: EPSILON, X0, VELOCITY, V_PREDICTION", "type=velocity");
        assertMessage("unknown argument 'bogus=1'; allowed: videos=N", "bogus=1");
        assertMessage("videos = 0; allowed: videos >= 1", "videos=0");
        assertMessage("stepsPerStage = 0; allowed: stepsPerStage >= 1", "steps=0");
    }

    @Test
    void aConfigWithoutVideosIsRefusedBeforeSampling() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PyramidCovarianceCheck.Config(TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16), 0.9,
                        0, new Shape(1, 4, 4), Solvers.rk4(), 10, PredictionType.VELOCITY, 1));
        assertTrue(e.getMessage().startsWith("videos = 0; allowed: videos >= 1"), e.getMessage());
    }

    private static void assertMessage(String start, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyramidCovarianceCheck.CommandLine.parse(args));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}

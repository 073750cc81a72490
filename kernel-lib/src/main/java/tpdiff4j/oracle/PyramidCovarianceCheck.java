package tpdiff4j.oracle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tpdiff4j.Refusals;
import tpdiff4j.ode.DeviceKnob;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solver;
import tpdiff4j.ode.Solvers;
import tpdiff4j.pyramid.JumpRule;
import tpdiff4j.pyramid.PyramidSampler;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * The whole TPDiff sampling pipeline on Gaussian videos with exact stage-wise predictors: sample with the pyramid
 * sampler under each {@link JumpRule} and compare the frame covariance of the samples with the true {@code Sigma}.
 * The corrected jump must land within Monte-Carlo error; no renoise and the printed formula must not.
 *
 * <p>Error: {@code ||S - Sigma||_F / ||Sigma||_F} with {@code S} the empirical frame covariance of
 * {@code N x pixels} frame vectors. Reference values: the same error for exact samples of {@code N(0, Sigma)}
 * (the Monte-Carlo floor, measured and predicted) and for the vanilla one-stage sampler with the same solver.
 *
 * <p>{@code java ... tpdiff4j.oracle.PyramidCovarianceCheck [videos=2000] [steps=10] [seed=1] [corr=0.9]
 * [schedule=flowMatching|vpCosine]
 * [solver=rk4|heun|euler|ddim] [type=VELOCITY|...] [out=build/bench]. For vpCosine use {@code solver=ddim
 * type=V_PREDICTION}: its velocity is infinite at t = 0 and an epsilon model says nothing about x0 at t = 1.}
 * prints the errors and writes {@code out/oracle_covariance.json}.
 */
public final class PyramidCovarianceCheck {

    static {
        tpdiff4j.ode.DjlNetwork.apply(); // usage reporting off, offline unless asked: before DJL starts
    }

    /**
     * Settings of one run.
     *
     * @param pyramid       the pyramid to sample (any boundaries, rate factors and convention); its schedule and frame
     *                      count are the run's
     * @param corr          the correlation of neighbouring frames of the AR(1) Gaussian videos, {@code Sigma_ij =
     *                      corr^|i - j|}
     * @param videos        the number of videos sampled per rule (thousands for a Monte-Carlo error of a few percent)
     * @param pixels        the shape of one frame, e.g. {@code new Shape(1, 4, 4)}; every pixel is one more frame
     *                      vector for the covariance estimate
     * @param solver        the ODE solver of every stage
     * @param stepsPerStage the solver's steps in each stage (the vanilla reference takes as many in all)
     * @param type          what the oracle model predicts
     * @param seed          the seed of every sampler run (its starting noise and the jumps' block noise) and, offset,
     *                      of the exact samples
     */
    public record Config(TemporalPyramid pyramid, double corr, int videos, Shape pixels, Solver solver,
            int stepsPerStage, PredictionType type, long seed) {

        public Config {
            Refusals.notNull(pyramid, "pyramid",
                    "any TemporalPyramid, e.g. TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16)");
            if (videos < 1) {
                throw Refusals.refuse("videos", videos,
                        "videos >= 1 (thousands for a Monte-Carlo error of a few percent)");
            }
            if (stepsPerStage < 1) {
                throw Refusals.refuse("stepsPerStage", stepsPerStage, "stepsPerStage >= 1");
            }
            if (pixels == null || solver == null || type == null) {
                throw new IllegalArgumentException("pixels = " + pixels + ", solver = " + solver + ", type = " + type
                        + "; allowed: a pixel shape such as new Shape(1, 4, 4), a Solver and a PredictionType, none null");
            }
        }

        /** Flow matching, K = 3, 16 frames of 4x4 pixels, AR(1) correlation 0.9, RK4 with 10 steps per stage. */
        public static Config defaults(int videos, int stepsPerStage, long seed) {
            return new Config(TemporalPyramid.uniform(Schedules.flowMatching(), 3, 16), 0.9, videos, new Shape(1, 4, 4),
                    Solvers.rk4(), stepsPerStage, PredictionType.VELOCITY, seed);
        }

        /** The same settings for another pyramid (your own schedule, boundaries, rate factors or frame count). */
        public Config withPyramid(TemporalPyramid p) {
            return new Config(p, corr, videos, pixels, solver, stepsPerStage, type, seed);
        }

        /** The pyramid's noise schedule. */
        public NoiseSchedule schedule() {
            return pyramid.schedule();
        }

        /** The pyramid's number of stages K. */
        public int stages() {
            return pyramid.size();
        }

        /** The pyramid's full-rate frame count. */
        public int frames() {
            return pyramid.frames();
        }
    }

    /**
     * Errors of one run. Each error is {@code ||S - Sigma||_F / ||Sigma||_F}: how far the frame covariance {@code S}
     * of a set of samples is from the true {@code Sigma}, relative to {@code Sigma}.
     *
     * @param pyramidError     the error of the pyramid sampler's samples under each jump rule (corrected, printed,
     *                         none); only the corrected rule comes down to the Monte-Carlo floor
     * @param vanillaError     the error of the one-stage sampler at full rate with the same solver and as many steps
     *                         in all, a reference without jumps; NaN when the references were not run
     * @param exactSampleError the error of as many exact samples of {@code N(0, Sigma)}: the Monte-Carlo floor as
     *                         measured, the best any sampler can do with this many samples; NaN when the references
     *                         were not run
     * @param predictedFloor   the expected error of exact samples, {@code GaussianVideo.monteCarloError(frameVectors)}
     * @param frameVectors     the number of frame vectors {@code S} is estimated from: videos times pixels per frame
     */
    public record Result(Map<JumpRule, Double> pyramidError, double vanillaError, double exactSampleError,
            double predictedFloor, long frameVectors) {}

    private PyramidCovarianceCheck() {}

    /** Runs the comparison with the reference values (vanilla sampler and exact samples). */
    public static Result run(Config c) {
        return run(c, true);
    }

    /**
     * Runs the comparison.
     *
     * @param c settings
     * @param references also run the vanilla sampler and draw exact samples (else their errors are NaN)
     */
    public static Result run(Config c, boolean references) {
        GaussianVideo video = GaussianVideo.ar1(c.frames(), c.corr(), 1.0);
        double[][] truth = video.frameCovariance();
        TemporalPyramid p = c.pyramid();
        long[] dims = new long[2 + c.pixels().dimension()];
        dims[0] = c.videos();
        dims[1] = c.frames();
        System.arraycopy(c.pixels().getShape(), 0, dims, 2, c.pixels().dimension());
        Shape full = new Shape(dims);
        Map<JumpRule, Double> errors = new EnumMap<>(JumpRule.class);
        try (NDManager manager = NDManager.newBaseManager(DeviceKnob.device())) {
            GaussianOracle oracle = GaussianOracle.of(video, p);
            for (JumpRule rule : JumpRule.values()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted");
                }
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = PyramidSampler.of(p, c.solver(), c.stepsPerStage()).withJumpRule(rule)
                            .sample(oracle.denoiser(c.type()), sub, full, DataType.FLOAT64, c.seed());
                    errors.put(rule, GaussianVideo.relativeError(GaussianVideo.empiricalFrameCovariance(x), truth));
                }
            }
            double vanilla = Double.NaN;
            double exact = Double.NaN;
            long n = (long) c.videos() * c.pixels().size();
            if (!references) {
                return new Result(errors, vanilla, exact, video.monteCarloError(n), n);
            }
            try (NDManager sub = manager.newSubManager()) {
                TemporalPyramid one = TemporalPyramid.uniform(c.schedule(), 1, c.frames());
                NDArray x = PyramidSampler.of(one, c.solver(), c.stepsPerStage() * c.stages()).sample(GaussianOracle.of(video, one).denoiser(c.type()), sub, full, DataType.FLOAT64,
                                c.seed());
                vanilla = GaussianVideo.relativeError(GaussianVideo.empiricalFrameCovariance(x), truth);
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = video.sample(sub, c.videos(), c.pixels(), DataType.FLOAT64, c.seed() + 17);
                exact = GaussianVideo.relativeError(GaussianVideo.empiricalFrameCovariance(x), truth);
            }
            return new Result(errors, vanilla, exact, video.monteCarloError(n), n);
        }
    }

    /** The settings and output folder of a command line (see the class comment); a bad argument names itself. */
    record CommandLine(Config config, Path out) {

        private static final String ALLOWED = "videos=N, steps=N, seed=N, corr=X, schedule=flowMatching|vpCosine,"
                + " solver=rk4|heun|euler|ddim, type=EPSILON|X0|VELOCITY|V_PREDICTION, out=DIR";

        static CommandLine parse(String... args) {
            int videos = 2000;
            int steps = 10;
            long seed = 1;
            double corr = 0.9;
            NoiseSchedule schedule = Schedules.flowMatching();
            Solver solver = Solvers.rk4();
            PredictionType type = PredictionType.VELOCITY;
            Path out = Path.of("build/bench");
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("argument = '" + a + "'; allowed: name=value, e.g. videos=2000,"
                            + " with the names " + ALLOWED + " (this one has no value)");
                }
                String k = a.substring(0, eq);
                String v = a.substring(eq + 1);
                try {
                    switch (k) {
                        case "videos" -> videos = Integer.parseInt(v);
                        case "steps" -> steps = Integer.parseInt(v);
                        case "seed" -> seed = Long.parseLong(v);
                        case "out" -> out = Path.of(v);
                        case "corr" -> corr = Double.parseDouble(v);
                        case "solver" -> solver = switch (v) {
                            case "rk4" -> Solvers.rk4();
                            case "heun" -> Solvers.heun();
                            case "euler" -> Solvers.euler();
                            case "ddim" -> Solvers.ddim();
                            default -> throw new IllegalArgumentException("solver = '" + v
                                    + "'; allowed: rk4, heun, euler, ddim");
                        };
                        case "type" -> type = java.util.Arrays.stream(PredictionType.values())
                                .filter(t -> t.name().equals(v)).findFirst()
                                .orElseThrow(() -> new IllegalArgumentException("type = '" + v
                                        + "'; allowed: EPSILON, X0, VELOCITY, V_PREDICTION"));
                        case "schedule" -> schedule = switch (v) {
                            case "flowMatching" -> Schedules.flowMatching();
                            case "vpCosine" -> Schedules.vpCosine();
                            default -> throw new IllegalArgumentException("schedule = '" + v
                                    + "'; allowed: flowMatching, vpCosine (both start from pure noise at t = 1)");
                        };
                        default -> throw new IllegalArgumentException("unknown argument '" + a + "'; allowed: " + ALLOWED);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(k + " = '" + v + "'; allowed: a number (" + ALLOWED + ")");
                }
            }
            Config d = Config.defaults(videos, steps, seed);
            return new CommandLine(new Config(d.pyramid().withSchedule(schedule), corr, videos, d.pixels(), solver,
                    steps, type, seed), out);
        }
    }

    public static void main(String[] args) throws IOException {
        CommandLine cl = CommandLine.parse(args);
        Config c = cl.config();
        Path out = cl.out();
        Result r = run(c);
        System.out.printf(Locale.ROOT, "Gaussian-oracle frame covariance, %s, K = %d, F = %d, AR(1) %.2f, %d frame vectors,"
                + " %s x %d steps per stage%n", c.schedule().name(), c.stages(), c.frames(), c.corr(), r.frameVectors(),
                c.solver(), c.stepsPerStage());
        for (Map.Entry<JumpRule, Double> e : r.pyramidError().entrySet()) {
            System.out.printf(Locale.ROOT, "  pyramid, jump %-13s relative error %.4f%n", e.getKey(), e.getValue());
        }
        System.out.printf(Locale.ROOT, "  vanilla sampler              relative error %.4f%n", r.vanillaError());
        System.out.printf(Locale.ROOT, "  exact samples (MC floor)     relative error %.4f (predicted %.4f)%n", r.exactSampleError(),
                r.predictedFloor());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schedule", c.schedule().name());
        json.put("stages", c.stages());
        json.put("frames", c.frames());
        json.put("ar1", c.corr());
        json.put("frameVectors", r.frameVectors());
        json.put("solver", c.solver().toString());
        json.put("predictionType", c.type().name());
        json.put("stepsPerStage", c.stepsPerStage());
        Map<String, Double> errs = new LinkedHashMap<>();
        r.pyramidError().forEach((k, v) -> errs.put(k.name(), v));
        json.put("pyramidError", errs);
        json.put("vanillaError", r.vanillaError());
        json.put("exactSampleError", r.exactSampleError());
        json.put("predictedMonteCarloError", r.predictedFloor());
        tpdiff4j.schedule.AtomicFiles.writeString(out.resolve("oracle_covariance.json"), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                .toJson(json));
        System.out.println("wrote " + out.resolve("oracle_covariance.json"));
    }
}

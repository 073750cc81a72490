package tpdiff4j.pyramid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.WithNDManager;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.ode.Denoiser;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solver;
import tpdiff4j.ode.Solvers;
import tpdiff4j.ode.TimeGrid;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * The limiting cases a reader checks before trusting the method (docs/derivation.md, "Limiting cases"): one stage is
 * vanilla diffusion bit for bit, a jump on its own hands the next stage its training start for every schedule family
 * and frame-rate factor, and alignment of a batch of one or of identical noises changes nothing.
 */
class LimitingCasesTest extends WithNDManager {

    /** One schedule of every family: flow matching (plain and shifted), discrete DDPM, continuous VP, variance exploding. */
    static List<NoiseSchedule> families() {
        return List.of(Schedules.flowMatching(), Schedules.flowMatching(3.0), Schedules.scaledLinear(0.00085, 0.012, 1000),
                Schedules.cosine(1000), Schedules.vpCosine(), Schedules.of("ve", t -> 1.0, t -> 80 * t),
                Schedules.of("ve-edm", t -> 1.0, t -> 0.002 + 80 * t));
    }

    /**
     * K = 1, float64: x_t and every prediction type's target equal the textbook vanilla forms
     * {@code gamma x0 + sigma eps}, {@code eps}, {@code x0}, {@code gammaDot x0 + sigmaDot eps},
     * {@code gamma eps - sigma x0} bit for bit, with the stage time t' taken as the global time unchanged (window
     * [0, 1]), including t' = 1 (the noisy end) and a t' near 0. In stage 0 A = D, so the noise shift
     * {@code (A - D) c} is an exact zero and the virtual pair is (x0, eps) with no rounding.
     */
    @Test
    void oneStageTrainingPairsAreTheVanillaPairsBitForBit() {
        double[] tPrime = {1.0, 0.37, 1e-9};
        for (NoiseSchedule s : families()) {
            TemporalPyramid one = TemporalPyramid.uniform(s, 1, 4);
            NDArray x0 = GaussianNoise.normal(manager, new Shape(3, 4, 1, 2, 2), DataType.FLOAT64, 7).mul(0.7).add(0.2);
            NDArray eps = GaussianNoise.normal(manager, x0.getShape(), DataType.FLOAT64, 11);
            double[] x = x0.toDoubleArray();
            double[] n = eps.toDoubleArray();
            int per = x.length / 3;
            for (PredictionType type : PredictionType.values()) {
                TrainingClips c = TrainingPairSampler.of(one, type).sampleClips(x0, 0, tPrime, 11);
                assertArrayEquals(tPrime, c.t(), 0.0, s.name() + ": t = t' in the window [0, 1]");
                double[] xt = c.xt().toDoubleArray();
                double[] target = c.target().toDoubleArray();
                double[] wantXt = new double[x.length];
                double[] wantTarget = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    double t = tPrime[i / per];
                    wantXt[i] = s.gamma(t) * x[i] + s.sigma(t) * n[i];
                    wantTarget[i] = switch (type) {
                        case EPSILON -> n[i];
                        case X0 -> x[i];
                        case VELOCITY -> s.gammaDot(t) * x[i] + s.sigmaDot(t) * n[i];
                        case V_PREDICTION -> s.gamma(t) * n[i] - s.sigma(t) * x[i];
                    };
                }
                assertArrayEquals(wantXt, xt, 0.0, s.name() + " " + type + ": x_t");
                assertArrayEquals(wantTarget, target, 0.0, s.name() + " " + type + ": target");
            }
        }
    }

    /**
     * K = 1, float32: the same bit-for-bit agreement with the textbook forms written in float32 arithmetic, each
     * coefficient (gamma, sigma and their derivatives at t) rounded to float once, as a float32 vanilla trainer
     * computes them.
     */
    @Test
    void oneStageTrainingPairsAreTheVanillaPairsBitForBitInFloat32() {
        for (NoiseSchedule s : families()) {
            TemporalPyramid one = TemporalPyramid.uniform(s, 1, 4);
            NDArray x0 = GaussianNoise.normal(manager, new Shape(1, 4, 1, 2, 2), DataType.FLOAT32, 7);
            NDArray eps = GaussianNoise.normal(manager, x0.getShape(), DataType.FLOAT32, 11);
            for (double t : new double[] {1.0, 0.37, 0.001}) {
                float g = (float) s.gamma(t), sg = (float) s.sigma(t);
                for (PredictionType type : PredictionType.values()) {
                    TrainingClips c = TrainingPairSampler.of(one, type).sampleClips(x0, 0, new double[] {t}, 11);
                    NDArray want = switch (type) {
                        case EPSILON -> eps;
                        case X0 -> x0;
                        case VELOCITY -> x0.mul((float) s.gammaDot(t)).add(eps.mul((float) s.sigmaDot(t)));
                        case V_PREDICTION -> eps.mul(g).sub(x0.mul(sg));
                    };
                    String w = s.name() + " " + type + " t = " + t;
                    assertArrayEquals(x0.mul(g).add(eps.mul(sg)).toFloatArray(), c.xt().toFloatArray(), 0f, w + ": x_t");
                    assertArrayEquals(want.toFloatArray(), c.target().toFloatArray(), 0f, w + ": target");
                }
            }
        }
    }

    /**
     * K = 1 sampling is the solver's own run over {@code t = 1 -> 0} bit for bit, for every deterministic solver
     * (Heun and RK4 not on vpCosine, whose velocity at t = 0, where they evaluate, is refused), the velocity and
     * v-prediction types (which every solver can start at t = 1 on every schedule here) and both data types.
     */
    @Test
    void oneStageSamplingIsTheSolversOwnRunBitForBit() {
        for (NoiseSchedule s : families()) {
            for (PredictionType type : new PredictionType[] {PredictionType.VELOCITY, PredictionType.V_PREDICTION}) {
                Denoiser toy = Denoiser.of(type, (x, t) -> x.tanh().mul(0.5 + t));
                for (Solver solver : new Solver[] {Solvers.ddim(), Solvers.euler(), Solvers.heun(), Solvers.rk4()}) {
                    if (Double.isInfinite(s.sigmaDot(0)) && (solver.toString().contains("heun")
                            || solver.toString().contains("rk4"))) {
                        continue; // Heun and RK4 evaluate at t = 0, refused where sigmaDot(0) is infinite (vpCosine)
                    }
                    for (DataType dt : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                        String w = s.name() + " " + type + " " + solver + " " + dt;
                        NDArray noise = GaussianNoise.normal(manager, new Shape(2, 8, 1, 2, 2), dt, 3);
                        TemporalPyramid one = TemporalPyramid.uniform(s, 1, 8);
                        NDArray pyramid = PyramidSampler.of(one, solver, 6).sample(toy, noise, 5);
                        NDArray vanilla = solver.solve(toy, s, noise, TimeGrid.uniform(1, 0, 6));
                        assertArrayEquals(vanilla.toType(DataType.FLOAT64, false).toDoubleArray(),
                                pyramid.toType(DataType.FLOAT64, false).toDoubleArray(), 0.0, w);
                    }
                }
            }
        }
    }

    /**
     * A jump followed by nothing: N = 200000 stage ends {@code x_e = gamma_e D + sigma_e n} for fixed data, one
     * corrected jump, and the moments of {@code x_s - gamma_s Up_B(D)} against {@code N(0, sigma_s^2 I)}, for every
     * schedule family and B = 2, 3, 4 (the tests of section 9 cover B = 2 and 4 on two schedules). {@link JumpMoments}
     * reports each error next to its Monte-Carlo floor: the RMS of the sample mean over the {@code 2B} elements is
     * {@code sigma_s / sqrt(N)} times a chi with 2B degrees of freedom over sqrt(2B), below 2.2 floors with probability
     * above 0.999 for 2B >= 4; the relative variance error likewise in units of {@code sqrt(2 / (N - 1))}. The
     * correlation of the first two frames of a block, averaged over 2 blocks, has standard error
     * {@code 1 / sqrt(2 N)} = 0.0016; 4/sqrt(N) = 0.009 is over five of them.
     */
    @Test
    void aJumpAloneGivesTheNextStageItsTrainingStartOnEverySchedule() {
        int n = 200_000;
        NDArray low = manager.create(new double[] {0.8, -1.3}, new Shape(1, 2, 1));
        for (NoiseSchedule s : families()) {
            for (int b = 2; b <= 4; b++) {
                TemporalPyramid p = TemporalPyramid.builder(s, 2 * b).withStages(2).withRateFactors(b).build();
                String w = s.name() + " B = " + b;
                assertEquals(1.0, s.rho(p.stage(0).end()) * Math.sqrt(b) / s.rho(p.stage(1).start()), 1e-9,
                        w + ": rho_e = rho_s / sqrt(B)");
                JumpMoments m = JumpMoments.measure(p, 0, JumpRule.CORRECTED, low, n, 9);
                assertTrue(m.meanError() < 2.2 * m.meanFloor(), w + ": mean " + m);
                assertTrue(m.varianceError() < 2.2 * m.varianceFloor(), w + ": variance " + m);
                assertEquals(0.0, m.blockCorrelation(), 4 / Math.sqrt(n), w + ": correlation inside a block " + m);
                // the same measurement catches a wrong rule: no renoise keeps the repeated frames perfectly correlated
                JumpMoments none = JumpMoments.measure(p, 0, JumpRule.NONE, low, 20_000, 9);
                assertTrue(none.blockCorrelation() > 0.99, w + ": NONE " + none);
            }
        }
    }

    /**
     * Alignment of a batch of one is the identity (one noise, one clip), and a batch whose noises are all equal comes
     * back unchanged whatever the assignment: the coupling only reorders noises. In the training pair sampler a
     * batch of one with and without the aligner therefore gives the same pair bit for bit.
     */
    @Test
    void alignmentOfOneClipOrOfIdenticalNoisesChangesNothing() {
        BatchNoiseAligner aligner = BatchNoiseAligner.l2();
        NDArray clip = GaussianNoise.normal(manager, new Shape(1, 4, 1, 2, 2), DataType.FLOAT32, 1);
        NDArray noise = GaussianNoise.normal(manager, new Shape(1, 4, 1, 2, 2), DataType.FLOAT32, 2);
        assertArrayEquals(new int[] {0}, aligner.assignment(clip, noise));
        assertArrayEquals(noise.toFloatArray(), aligner.couple(clip, noise).toFloatArray(), 0f);

        NDArray clips = GaussianNoise.normal(manager, new Shape(5, 4, 1, 2, 2), DataType.FLOAT32, 3);
        NDArray same = noise.repeat(0, 5);
        int[] perm = aligner.assignment(clips, same);
        int[] sorted = perm.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted, "a permutation: " + Arrays.toString(perm));
        assertArrayEquals(same.toFloatArray(), aligner.couple(clips, same).toFloatArray(), 0f);

        // aligning an aligned batch changes nothing: the identity is then the optimal pairing
        NDArray once = aligner.couple(clips, GaussianNoise.normal(manager, clips.getShape(), DataType.FLOAT32, 6));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, aligner.assignment(clips, once));

        TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 3, 8);
        NDArray x0 = GaussianNoise.normal(manager, new Shape(1, 8, 1, 2, 2), DataType.FLOAT32, 4);
        for (int k = 0; k < 3; k++) {
            TrainingPair plain = TrainingPairSampler.of(p, PredictionType.VELOCITY).sample(x0, k, 0.6, 21);
            TrainingPair aligned = TrainingPairSampler.builder(p, PredictionType.VELOCITY).withCoupling(aligner).build()
                    .sample(x0, k, 0.6, 21);
            assertArrayEquals(plain.xt().toFloatArray(), aligned.xt().toFloatArray(), 0f, "stage " + k + ": x_t");
            assertArrayEquals(plain.target().toFloatArray(), aligned.target().toFloatArray(), 0f, "stage " + k + ": target");
        }
    }

    /**
     * The training batch at the window ends, through the per-clip path the trainer uses: stage time t' = 1 gives
     * x_t = gamma_s A + sigma_s eps (v1 Eq. 7) and t' = 0 gives gamma_e D + sigma_e eps (Eq. 8) with the drawn noise,
     * and on flow matching the VELOCITY target is the closed form {@code (1 - s) A - (1 - e) D + (s - e) eps} divided
     * by {@code s - e} (derivation section 6), for every stage of K = 3 under both conventions. Float64; the tolerance
     * 1e-12 relative covers a few roundings of values of order 10.
     */
    @Test
    void trainingPairsAtTheWindowEndsAreTheClosedForms() {
        for (NoiseSchedule s : families()) {
            for (WindowConvention c : WindowConvention.values()) {
                TemporalPyramid p = TemporalPyramid.builder(s, 8).withStages(3).withConvention(c).build();
                NDArray x0 = GaussianNoise.normal(manager, new Shape(2, 8, 1, 2, 2), DataType.FLOAT64, 12);
                for (int k = 0; k < 3; k++) {
                    Stage st = p.stage(k);
                    String w = s.name() + " " + c + " stage " + k;
                    TrainingClips clips = TrainingPairSampler.of(p, PredictionType.VELOCITY)
                            .sampleClips(x0, k, new double[] {1.0, 0.0}, 31);
                    assertArrayEquals(new double[] {st.start(), st.end()}, clips.t(), 0.0, w + ": t");
                    NDArray eps = GaussianNoise.normal(manager, new Shape(2, st.frames(), 1, 2, 2), DataType.FLOAT64, 31);
                    StageEndpoints e = StageEndpoints.of(p, k, x0, eps);
                    NDArray a = e.startData(), d = e.endData();
                    NDArray start = a.mul(s.gamma(st.start())).add(eps.mul(s.sigma(st.start())));
                    NDArray end = d.mul(s.gamma(st.end())).add(eps.mul(s.sigma(st.end())));
                    assertClose(start.get("0:1"), clips.xt().get("0:1"), w + ": x_t at t' = 1 is Eq. 7");
                    assertClose(end.get("1:2"), clips.xt().get("1:2"), w + ": x_t at t' = 0 is Eq. 8");
                    if (s.equals(Schedules.flowMatching())) {
                        double sk = st.start(), ek = st.end();
                        NDArray v = a.mul(1 - sk).sub(d.mul(1 - ek)).add(eps.mul(sk - ek)).div(sk - ek);
                        assertClose(v, clips.target(), w + ": flow-matching velocity");
                    }
                }
            }
        }
    }

    static void assertClose(NDArray expected, NDArray actual, String what) {
        double[] x = expected.toDoubleArray(), y = actual.toDoubleArray();
        assertEquals(x.length, y.length, what + ": size");
        double scale = 1;
        for (double v : x) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-12 * scale, what + " at " + i);
        }
    }

    /** One-frame videos are vanilla clips: a one-stage pyramid accepts them, trains pairs and samples them. */
    @Test
    void oneFrameVideosWorkWithOneStageAndAPyramidIsRefusedByName() {
        TemporalPyramid one = TemporalPyramid.uniform(Schedules.flowMatching(), 1, 1);
        NDArray x0 = GaussianNoise.normal(manager, new Shape(2, 1, 1, 2, 2), DataType.FLOAT32, 5);
        TrainingPair pair = TrainingPairSampler.of(one, PredictionType.VELOCITY).sample(x0, 8);
        assertEquals(x0.getShape(), pair.xt().getShape());
        Denoiser toy = Denoiser.of(PredictionType.VELOCITY, (x, t) -> x.tanh());
        NDArray out = PyramidSampler.of(one, Solvers.euler(), 4).sample(toy, manager, x0.getShape(), DataType.FLOAT32, 1);
        assertEquals(x0.getShape(), out.getShape());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TemporalPyramid.uniform(Schedules.flowMatching(), 2, 1));
        assertTrue(e.getMessage().startsWith("frames = 1 with K = 2 stages") && e.getMessage().contains("K = 1 (one stage at full rate, no pyramid)"),
                e.getMessage());
    }
}

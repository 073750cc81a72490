package tpdiff4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.align.LinearAssignment;
import tpdiff4j.data.SpriteVideos;
import tpdiff4j.nn.Compute;
import tpdiff4j.ode.GaussianNoise;
import tpdiff4j.ode.PredictionType;
import tpdiff4j.ode.Solvers;
import tpdiff4j.oracle.GaussianOracle;
import tpdiff4j.oracle.GaussianVideo;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.sample.VideoSampler;
import tpdiff4j.schedule.NoiseSchedule;
import tpdiff4j.schedule.Schedules;

/**
 * A parallel stream over seeds calling the library's deterministic functions, as a notebook does to use its cores:
 * seeded noise, schedules and pyramid math, linear assignment, the batch noise aligner, the Gaussian oracle sampled
 * through a pyramid sampler, and the sprite and Gaussian metrics (Tribuo's classifier two-sample test among them).
 * Every one of them takes its seed explicitly, so the results must equal the one-thread results bit for bit: a
 * global generator, a cache filled by two threads at once or a shared scratch buffer would make one of them depend on
 * which task ran beside it. Sixteen seeds on two worker threads, three times, with arrays of one shared root manager
 * (the engine's manager bookkeeping is used from both threads).
 */
class ParallelSeedsTest {

    static String fingerprint(NDManager root, long seed) {
        Compute.adoptThread();
        StringBuilder out = new StringBuilder();
        try (NDManager m = root.newSubManager()) {
            NDArray noise = GaussianNoise.normal(m, new Shape(4, 4, 1, 4, 4), DataType.FLOAT32, seed);
            out.append(Arrays.toString(noise.toFloatArray()));
            NoiseSchedule cos = Schedules.cosine(1000);
            double t = new SplittableRandom(seed).nextDouble();
            out.append(cos.logSnr(t)).append(cos.timeAtLogSnr(cos.logSnr(t))).append(cos.gammaDot(t));
            TemporalPyramid p = TemporalPyramid.uniform(Schedules.flowMatching(), 2, 4);
            out.append(p.planJson(3, 2 + (int) (seed % 3)));
            double[][] cost = new double[8][8];
            SplittableRandom r = new SplittableRandom(GaussianNoise.derive(seed, 1));
            for (double[] row : cost) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = r.nextDouble();
                }
            }
            out.append(Arrays.toString(LinearAssignment.solve(cost)));
            NDArray e = GaussianNoise.normal(m, new Shape(4, 4, 1, 4, 4), DataType.FLOAT32, GaussianNoise.derive(seed, 2));
            out.append(Arrays.toString(BatchNoiseAligner.l2().couple(noise, e).toFloatArray()));
            GaussianVideo video = GaussianVideo.ar1(4, 0.9, 1.0);
            GaussianOracle oracle = GaussianOracle.of(video, p);
            NDArray clips = VideoSampler.pyramid(p, Solvers.heun(), 3, 3)
                    .sample(oracle.denoiser(PredictionType.VELOCITY), m, new Shape(8, 4, 1, 4, 4), seed);
            out.append(Arrays.toString(clips.toFloatArray()));
            out.append(VideoMetrics.DEFAULT.gaussian("oracle", ClipBatch.fromNDArray(clips), video.frameCovariance()));
            SpriteVideos sprites = SpriteVideos.builder().withFrames(4).withSize(16).build();
            out.append(VideoMetrics.DEFAULT.withSeed(seed).sprites("sprites", sprites.batch(m, 16, seed),
                    sprites.batch(m, 16, seed + 100)));
        }
        return out.toString();
    }

    @Test
    void aParallelStreamOverSeedsGivesTheOneThreadResults() throws Exception {
        Compute.useThreads(1);
        try (NDManager root = Compute.newManager()) {
            List<String> sequential = LongStream.range(0, 16).mapToObj(s -> fingerprint(root, s)).toList();
            assertEquals(16, sequential.stream().distinct().count(), "every seed must give its own results");
            ForkJoinPool two = new ForkJoinPool(2);
            try {
                for (int rep = 0; rep < 3; rep++) {
                    List<String> parallel = two.submit(() -> LongStream.range(0, 16).parallel()
                            .mapToObj(s -> fingerprint(root, s)).collect(Collectors.toList())).get();
                    for (int s = 0; s < 16; s++) {
                        assertEquals(sequential.get(s), parallel.get(s), "seed " + s + ", repetition " + rep);
                    }
                }
            } finally {
                two.shutdownNow();
            }
        }
    }
}

package tpdiff4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.util.Locale;
import tpdiff4j.align.BatchNoiseAligner;
import tpdiff4j.nn.Compute;
import tpdiff4j.pyramid.Stage;
import tpdiff4j.pyramid.TemporalPyramid;
import tpdiff4j.schedule.Schedules;

/**
 * Cost of the batch data-noise alignment of one TPDiff training step (docs/derivation.md section 7): for each stage
 * k the aligner pairs
 * the stage data {@code D_k: [B, F_k, C, H, W]} with the noise of the same shape (float64 cost matrix by one matrix
 * product, then {@link tpdiff4j.align.LinearAssignment}, then the reordering). Training draws the stage uniformly,
 * so the mean over stages is the expected alignment time per step; the report divides it by the measured TPDiff
 * step time ({@code align.overheadFraction}).
 *
 * <p>Numbers: {@code align.msPerStep} and {@code align.stage<k>.ms} (medians).
 */
final class AlignBench {

    private AlignBench() {
    }

    static void run(Preset p, int channels, int size, Report r, PrintStream log) {
        TemporalPyramid pyramid = TemporalPyramid.uniform(Schedules.flowMatching(), 3, p.frames());
        BatchNoiseAligner aligner = BatchNoiseAligner.l2();
        Table t = Table.of("align", "Batch noise alignment per stage (batch " + p.batch() + ", L2 cost), median of "
                + p.alignReps() + " calls", "stage", "frames", "median ms", "min ms");
        double sum = 0;
        try (NDManager m = Compute.newManager()) {
            for (int k = 0; k < pyramid.size(); k++) {
                Stage st = pyramid.stage(k);
                Shape shape = new Shape(p.batch(), st.frames(), channels, size, size);
                NDArray data = m.randomNormal(shape);
                NDArray noise = m.randomNormal(shape);
                double[] ms = Timing.millis(() -> {
                    try (NDManager sub = m.newSubManager()) {
                        NDArray e = noise.duplicate();
                        e.attach(sub);
                        aligner.couple(data, e).attach(sub);
                    }
                }, 10, p.alignReps());
                double med = Stats.median(ms);
                sum += med;
                r.put("align.stage" + k + ".ms", med);
                t = t.row(k, st.frames(), med, Stats.min(ms));
                log.printf(Locale.ROOT, "[bench] align stage %d (%d frames): %.3f ms%n", k, st.frames(), med);
            }
        }
        r.put("align.msPerStep", sum / pyramid.size());
        r.table(t);
    }
}

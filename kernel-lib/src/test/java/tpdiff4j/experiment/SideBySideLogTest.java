package tpdiff4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tpdiff4j.train.TrainConfig;
import tpdiff4j.train.Trainer;

/**
 * The log of a side-by-side run says how far the run has come: its lines after each slice printed only the lane's
 * seconds and steps, so during a long run (notebook 05 trains six slices per model, three minutes each model) nothing
 * said whether the slice just ended was the first or the last. Each of those lines now starts with "slice e of N".
 */
class SideBySideLogTest {

    @Test
    void everyLineAfterASliceNamesTheSliceAndTheirNumber() {
        try (Trainer a = trainer(); Trainer b = trainer()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SideBySide.run(List.of(new SideBySide.Lane("vanilla", a, t -> 1.0), new SideBySide.Lane("TPDiff", b, t -> 2.0)),
                    Budget.steps(3), 3, new PrintStream(out, true, StandardCharsets.UTF_8));
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(8, lines.length, String.join("\n", lines));
            assertTrue(lines[0].startsWith("[vanilla] 0.0 s, 0 steps, loss -, quality 1.0000"), lines[0]);
            assertTrue(lines[1].startsWith("[TPDiff] 0.0 s, 0 steps, loss -, quality 2.0000"), lines[1]);
            for (int e = 1; e <= 3; e++) {
                String v = lines[2 * e], t = lines[2 * e + 1];
                assertTrue(v.startsWith("[vanilla] slice " + e + " of 3: ") && v.contains(", " + e + " steps, loss "), v);
                assertTrue(t.startsWith("[TPDiff] slice " + e + " of 3: ") && t.endsWith("quality 2.0000"), t);
            }
        }
    }

    private static Trainer trainer() {
        return Trainer.builder().withNetwork(OneWeightNetwork::network)
                .withConfig(TrainConfig.flowMatching(1, 8, 1).withBatchSize(2))
                .withData(InterruptedRunTest.DATA).withProgress(false).build();
    }
}

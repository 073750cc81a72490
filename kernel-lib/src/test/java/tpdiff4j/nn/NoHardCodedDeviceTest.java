package tpdiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The static half of the placement check (the runtime half is {@link PlacementCheck}): main code and notebooks
 * name no device and open no root manager except where the device knob says so. A root manager opened and closed
 * inside one call leaves no trace for a runtime check between calls; this scan catches it.
 */
class NoHardCodedDeviceTest {

    /** Patterns that put a tensor on a device nobody asked for, and the files allowed to use each. */
    static final Map<Pattern, List<String>> RULES = Map.of(
            // the knob, and the GPU check's explicit comparison against the CPU
            Pattern.compile("Device\\.(cpu|gpu|of)\\("), List.of("ode/DeviceKnob.java", "bench/GpuCheck.java"),
            Pattern.compile("defaultDevice\\(\\)"), List.of(),
            Pattern.compile("newBaseManager\\(\\)"), List.of(),
            Pattern.compile("new ParameterStore\\(\\)"), List.of(),
            // root managers: on the knob's device (Compute, the oracle check) or on a device the caller chose
            Pattern.compile("newBaseManager\\("), List.of("nn/Compute.java", "train/Trainer.java",
                    "oracle/PyramidCovarianceCheck.java"));

    @Test
    void mainCodeNamesNoDeviceOutsideTheKnob() throws IOException {
        Path main = Path.of("src/main/java/tpdiff4j");
        assertTrue(Files.isDirectory(main), "run from kernel-lib/: " + main.toAbsolutePath());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String rel = main.relativize(f).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*", "");
                    if (code.trim().startsWith("*")) {
                        continue; // Javadoc
                    }
                    for (Map.Entry<Pattern, List<String>> r : RULES.entrySet()) {
                        if (r.getKey().matcher(code).find() && !r.getValue().contains(rel)) {
                            found.add(rel + ":" + (i + 1) + ": " + code.trim());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "tensors on a hard-coded device; use Compute.newManager(), the given "
                + "manager (newSubManager) or the model's manager instead");
    }

    @Test
    void notebooksOpenManagersThroughCompute() throws IOException {
        Path dir = Path.of("../notebooks");
        assertTrue(Files.isDirectory(dir), dir.toAbsolutePath().toString());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path nb : files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList()) {
                String text = Files.readString(nb);
                if (text.contains("newBaseManager(") || Pattern.compile("Device\\.(cpu|gpu|of)\\(").matcher(text).find()) {
                    found.add(nb.getFileName().toString());
                }
            }
        }
        assertEquals(List.of(), found, "notebooks must open managers with Compute.newManager()");
    }
}

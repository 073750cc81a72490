package tpdiff4j.bench;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A description of the machine a benchmark ran on, read from /proc and the JVM (for the report's "meta"). */
public final class Machine {

    private Machine() {
    }

    /** CPU model, cores, memory, load average at the start, OS and Java. */
    public static JsonObject describe() {
        JsonObject m = new JsonObject();
        m.addProperty("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")));
        m.addProperty("cores", Runtime.getRuntime().availableProcessors());
        firstValue(Path.of("/proc/meminfo"), "MemTotal").ifPresent(v -> {
            String kb = v.replaceAll("[^0-9]", "");
            if (!kb.isEmpty()) {
                m.addProperty("memoryGiB", Math.round(Long.parseLong(kb) / 1024.0 / 1024.0 * 10) / 10.0);
            }
        });
        try {
            String load = Files.readString(Path.of("/proc/loadavg")).trim();
            m.addProperty("loadAverage1m", load.split("\\s+")[0]);
        } catch (IOException e) {
            m.addProperty("loadAverage1m", "unknown");
        }
        m.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.addProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return m;
    }

    private static java.util.Optional<String> firstValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String l : lines) {
                int colon = l.indexOf(':');
                if (colon > 0 && l.substring(0, colon).trim().equals(key)) {
                    return java.util.Optional.of(l.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            // not Linux: leave it out
        }
        return java.util.Optional.empty();
    }
}

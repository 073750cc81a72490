package tpdiff4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The library turns DJL's usage reporting off and stays offline unless asked, with no flag from the user. */
class DjlNetworkTest {

    /** Runs {@link DjlNetworkProbe} in a new JVM without -D flags and without the DJL environment variables. */
    private static String probe(String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String e : extra) {
            if (e.startsWith("-D")) {
                cmd.add(e);
            }
        }
        cmd.add(DjlNetworkProbe.class.getName());
        for (String e : extra) {
            if (!e.startsWith("-D")) {
                cmd.add(e);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (String v : new String[] {"DJL_OFFLINE", "OPT_OUT_TRACKING", DjlNetwork.ONLINE_ENV, "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}) {
            pb.environment().remove(v);
        }
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aPlainJvmThatStartsDjlThroughTheLibraryIsOfflineWithReportingOff() throws Exception {
        String out = probe("engine");
        assertTrue(out.contains("ai.djl.offline=true"), out);
        assertTrue(out.contains("OPT_OUT_TRACKING=true"), out);
        assertTrue(out.contains("djlOffline=true"), "DJL itself sees offline mode: " + out);
    }

    @Test
    void goingOnlineIsTheUsersChoiceAndReportingStaysOff() throws Exception {
        String out = probe("-D" + DjlNetwork.ONLINE_PROPERTY + "=true");
        assertTrue(out.contains("ai.djl.offline=null"), out);
        assertTrue(out.contains("OPT_OUT_TRACKING=true"), out);
    }

    @Test
    void theUsersOwnSettingsWin() {
        Map<String, String> none = Map.of();
        assertEquals(Map.of("OPT_OUT_TRACKING", "true", "ai.djl.offline", "true"), DjlNetwork.settings(none::get, none::get));
        Map<String, String> props = Map.of("ai.djl.offline", "false");
        Map<String, String> env = Map.of("OPT_OUT_TRACKING", "false");
        assertEquals(Map.of(), DjlNetwork.settings(props::get, env::get));
        Map<String, String> online = Map.of(DjlNetwork.ONLINE_ENV, "1");
        assertEquals(Map.of("OPT_OUT_TRACKING", "true"), DjlNetwork.settings(none::get, online::get));
        Map<String, String> typo = Map.of(DjlNetwork.ONLINE_PROPERTY, "yes please");
        assertThrows(IllegalArgumentException.class, () -> DjlNetwork.settings(typo::get, none::get));
    }
}

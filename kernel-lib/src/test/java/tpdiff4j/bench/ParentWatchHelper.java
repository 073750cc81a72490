package tpdiff4j.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Two processes for {@link SeedProcessTest}: {@code parent} starts a {@code child} JVM and prints {@code child PID} once
 * the child watches it; the child calls {@link SeedProcess#exitWithParent} and prints {@code watching}. Both then sleep
 * for a minute, longer than the test waits.
 */
public final class ParentWatchHelper {

    private ParentWatchHelper() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("child")) {
            SeedProcess.exitWithParent();
            System.out.println("watching");
            System.out.flush();
            Thread.sleep(60_000);
            System.exit(0);
        }
        String java = SeedProcess.javaExecutable();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ParentWatchHelper.class.getName(), "child")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        if (!"watching".equals(line)) {
            throw new IllegalStateException("child said " + line);
        }
        System.out.println("child " + child.pid());
        System.out.flush();
        Thread.sleep(60_000);
    }
}

package tpdiff4j.ode;

/**
 * Run in a fresh JVM by {@link DjlNetworkTest}: touches the library the way a user's program does, then prints what
 * DJL will see. Argument "engine": start DJL's engine through the library ({@code nn.Compute}); otherwise only load
 * {@code train.Trainer}.
 */
public final class DjlNetworkProbe {

    private DjlNetworkProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("engine")) {
            tpdiff4j.nn.Compute.describe();
        } else {
            Class.forName("tpdiff4j.train.Trainer", true, DjlNetworkProbe.class.getClassLoader());
        }
        System.out.println("ai.djl.offline=" + System.getProperty("ai.djl.offline"));
        System.out.println("OPT_OUT_TRACKING=" + System.getProperty("OPT_OUT_TRACKING"));
        System.out.println("djlOffline=" + ai.djl.util.Utils.isOfflineMode());
    }
}

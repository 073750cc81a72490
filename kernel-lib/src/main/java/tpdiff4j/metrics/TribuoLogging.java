package tpdiff4j.metrics;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tribuo (and its configuration library OLCUT) log training progress through java.util.logging at INFO level; in a
 * notebook or a test run that is noise. {@link #quiet()} raises their loggers to WARNING. The loggers are held in
 * static fields because java.util.logging keeps only weak references, and a collected logger would forget its level.
 */
public final class TribuoLogging {

    private static final Logger TRIBUO = Logger.getLogger("org.tribuo");
    private static final Logger OLCUT = Logger.getLogger("com.oracle.labs.mlrg.olcut");

    private TribuoLogging() {
    }

    /** Sets the Tribuo and OLCUT loggers to WARNING; idempotent. */
    public static void quiet() {
        TRIBUO.setLevel(Level.WARNING);
        OLCUT.setLevel(Level.WARNING);
    }
}

package tpdiff4j.kernel;

/**
 * Started by {@link KernelJvmOptionsTest} in a JVM of its own with the kernel's version-dependent options: installs
 * the exit guard as the kernel does, then calls a restricted method (loading a native library) as DJL and JNA do.
 */
public final class KernelJvmOptionsProbe {

    private KernelJvmOptionsProbe() {
    }

    /** @param args none */
    public static void main(String[] args) {
        System.out.println("guard=" + ExitGuard.install());
        System.err.println("the probe's own line on standard error");
        try {
            System.loadLibrary("tpdiff4j_no_such_library");
        } catch (UnsatisfiedLinkError expected) {
            System.out.println("native call reached the library lookup");
        }
    }
}

package tpdiff4j.ode;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import tpdiff4j.Refusals;

/**
 * The device knob: where every tensor the library creates lives, unless a manager or model given to it says
 * otherwise. Notebooks and user code reach it as {@code tpdiff4j.nn.Compute.device()}; it sits here, in the lowest
 * package that creates a manager of its own, so that every package can follow it.
 *
 * <p>Values ({@code TPDIFF4J_DEVICE}, case-insensitive):
 * <ul>
 *   <li>{@code auto} (the default, also when unset): GPU 0 when DJL's PyTorch engine sees a CUDA device, else
 *       the CPU;</li>
 *   <li>{@code cpu}: the CPU, even on a GPU machine;</li>
 *   <li>{@code gpu}: GPU 0, and an error when there is none;</li>
 *   <li>{@code gpu:N}: GPU N (0-based), and an error when DJL sees N or fewer GPUs.</li>
 * </ul>
 * The setting is read from the system property {@value #PROPERTY}, then the system property {@value #NAME} (what
 * the kernel's {@code %env} sets), then the environment variable {@value #NAME}. It is resolved once, on first use,
 * and kept for the life of the JVM; a setting that cannot be honoured is an {@link IllegalStateException} with one
 * sentence saying what was asked, what DJL sees and how to get the CUDA build, and is not kept, so every later
 * use fails the same way.
 */
public final class DeviceKnob {

    /** Environment variable (and kernel knob) name. */
    public static final String NAME = "TPDIFF4J_DEVICE";
    /** System property that takes precedence over the environment variable. */
    public static final String PROPERTY = "tpdiff4j.device";

    private static Device resolved;

    private DeviceKnob() {
    }

    /** The device of the knob, resolved on first call against the GPUs DJL's engine sees. */
    public static synchronized Device device() {
        if (resolved == null) {
            resolved = resolve(setting(), Engine.getInstance().getGpuCount());
        }
        return resolved;
    }

    /**
     * The raw setting: the property {@value #PROPERTY}, else the property or environment variable {@value #NAME};
     * null when unset.
     */
    public static String setting() {
        for (String v : new String[]{System.getProperty(PROPERTY), System.getProperty(NAME), System.getenv(NAME)}) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /**
     * Parses a setting against a GPU count (pure: no engine needed).
     *
     * @param setting  {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}; null or blank means auto
     * @param gpuCount the number of CUDA devices DJL's engine sees
     * @return the device
     * @throws IllegalArgumentException for a value outside the grammar
     * @throws IllegalStateException    for a GPU that does not exist here
     */
    public static Device resolve(String setting, int gpuCount) {
        String value = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        String shown = NAME + " = '" + (setting == null ? "" : setting.trim()) + "'";
        if (value.isEmpty() || value.equals("auto")) {
            return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (value.equals("cpu")) {
            return Device.cpu();
        }
        int id = gpuIndex(value, shown);
        if (id >= gpuCount) {
            throw new IllegalStateException(missingGpu(shown, id, gpuCount));
        }
        return Device.gpu(id);
    }

    /**
     * Checks that a device chosen in code (e.g. a trainer's {@code withDevice}) exists here, before any tensor is
     * made on it; returns it unchanged.
     *
     * @throws IllegalStateException naming the device, what DJL sees and how to get the CUDA build
     */
    public static Device requireAvailable(Device device) {
        Refusals.notNull(device, "device", "a DJL Device, e.g. tpdiff4j.nn.Compute.device()");
        if (device.isGpu()) {
            int count = Engine.getInstance().getGpuCount();
            if (device.getDeviceId() >= count) {
                throw new IllegalStateException(missingGpu("device " + device, device.getDeviceId(), count));
            }
        }
        return device;
    }

    private static int gpuIndex(String value, String shown) {
        if (value.equals("gpu")) {
            return 0;
        }
        if (value.startsWith("gpu:")) {
            try {
                int id = Integer.parseInt(value.substring(4));
                if (id >= 0) {
                    return id;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the grammar error below
            }
        }
        throw new IllegalArgumentException(shown + " is not a device; allowed: auto, cpu, gpu, gpu:N (N = 0, 1, ...)");
    }

    /** One sentence: what was asked, what DJL sees, how to install the CUDA build. */
    static String missingGpu(String asked, int id, int count) {
        String sees = count == 0
                ? "DJL's PyTorch engine sees no GPU (Engine.getGpuCount() = 0: no CUDA device, or the CPU build of PyTorch)"
                : "DJL's PyTorch engine sees only " + count + " GPU" + (count == 1 ? "" : "s") + " (gpu:0 to gpu:"
                        + (count - 1) + ")";
        return asked + " asks for GPU " + id + ", but " + sees + "; on a machine with an NVIDIA driver install the "
                + "CUDA build with environment/setup --gpu, or set " + NAME + "=cpu.";
    }
}

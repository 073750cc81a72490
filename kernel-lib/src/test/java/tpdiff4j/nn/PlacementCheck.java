package tpdiff4j.nn;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A device-checking wrapper for tests on a CPU-only machine. DJL 0.36 folds every CPU device into {@code cpu()}
 * ({@code Device.of("cpu", 0).equals(Device.cpu())}) and a PyTorch array reports the device libtorch gives it, so
 * a "second CPU" cannot be told apart by {@code getDevice()}. What can be told apart is where an array was made: a
 * tensor created on a hard-coded device needs a root manager of its own ({@code NDManager.newBaseManager(...)},
 * DJL's no-argument {@code ParameterStore}, ...), while a tensor that follows the manager or model it was given sits
 * in that manager's tree and so on its device.
 *
 * <p>The check snapshots DJL's root managers (the children of the engine's system manager) when it is opened. Each
 * {@link #verify} then fails when a root manager appeared that is neither the given one nor explicitly allowed (a
 * trainer's own manager on {@link Compute#device()}), and when any array or manager under the given or allowed roots
 * is not on the expected device. Call it from inside the computation (a wrapped denoiser, a data set, a listener)
 * to catch managers that are closed again before the computation returns.
 */
public final class PlacementCheck {

    private final NDManager system;
    private final Device expected;
    private final Set<Object> before;
    private final Set<Object> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    private int checks;

    private PlacementCheck(NDManager given) {
        this.system = given.getParentManager();
        this.expected = given.getDevice();
        this.before = Collections.newSetFromMap(new IdentityHashMap<>());
        before.addAll(roots());
        before.remove(given);
        allowed.add(given);
    }

    /** Starts checking around {@code given}, a root manager ({@code NDManager.newBaseManager(device)}). */
    public static PlacementCheck around(NDManager given) {
        if (!(given.getParentManager() instanceof ai.djl.ndarray.NDManager.SystemNDManager)) {
            throw new IllegalArgumentException("the manager to check around must be a root manager");
        }
        return new PlacementCheck(given);
    }

    /** Accepts {@code root} (e.g. a trainer's manager) as a root made during the check; its device must match. */
    public PlacementCheck allow(NDManager root) {
        allowed.add(root);
        return this;
    }

    /** How many times {@link #verify} ran (so a test can prove its hooks were reached). */
    public int checks() {
        return checks;
    }

    /** Fails with a list of the offending managers and arrays, naming {@code where}. */
    public void verify(String where) {
        checks++;
        List<String> problems = new ArrayList<>();
        for (Object r : roots()) {
            if (before.contains(r)) {
                continue;
            }
            NDManager m = (NDManager) r;
            if (!allowed.contains(m)) {
                problems.add("a root manager on " + m.getDevice() + " holding " + m.getManagedArrays().size()
                        + " arrays was created during the check (a hard-coded device?)");
            } else {
                checkTree(m, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(where + ": " + String.join("; ", problems));
        }
    }

    private void checkTree(NDManager root, List<String> problems) {
        if (!root.getDevice().equals(expected)) {
            problems.add("manager " + root.getName() + " is on " + root.getDevice() + ", expected " + expected);
        }
        for (NDArray a : root.getManagedArrays()) {
            if (!a.getDevice().equals(expected) || !a.getManager().getDevice().equals(expected)) {
                problems.add("array " + a.getShape() + " is on " + a.getDevice() + " in a manager on "
                        + a.getManager().getDevice() + ", expected " + expected);
            }
        }
    }

    /** The engine's root managers now (the system manager's children), by identity. */
    private List<Object> roots() {
        try {
            Field f = BaseNDManager.class.getDeclaredField("resources");
            f.setAccessible(true);
            Map<?, ?> resources = (Map<?, ?>) f.get(system);
            List<Object> out = new ArrayList<>();
            for (Object v : resources.values()) {
                if (v instanceof NDManager) {
                    out.add(v);
                }
            }
            return out;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot list DJL's root managers", e);
        }
    }
}

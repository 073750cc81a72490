package tpdiff4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stage-wise model contract that training and sampling rely on, for {@link SpaceTimeTransformer} and for any
 * DJL {@link Block} of one's own ({@link #of}).
 *
 * <p>{@code block().forward(store, NDList(x, t, pos), training)} takes the noisy clip {@code x: [B, F_k, C, H, W]}
 * (float32; {@code F_k} is the full-rate frame count F for vanilla, fewer frames in the lower pyramid stages), the
 * global diffusion time {@code t: [B]} in [0, 1] and the positions {@code pos: [F_k]} of the frames on the full-rate
 * grid ({@link #positions}), and returns one array of the shape of {@code x}: the prediction of the trained type.
 * The weights must be allocated (initialised) when the network is handed to a trainer.
 */
public interface StageNetwork {

    /** The DJL block (see the class comment for its inputs and output). */
    Block block();

    /** Full-rate frame count F. */
    int frames();

    /** Parameters by name in a fixed order (the optimizer, EMA and checkpoints use it). */
    Map<String, Parameter> namedParameters();

    /** What a checkpoint records of the network, to refuse resuming into a different one. */
    JsonObject describe();

    /** The device the weights live on (the device of the manager the network was built on). */
    default ai.djl.Device device() {
        return namedParameters().values().iterator().next().getArray().getDevice();
    }

    /** Total number of weights. */
    default long weightCount() {
        return namedParameters().values().stream().mapToLong(q -> q.getArray().size()).sum();
    }

    /** Positions of a stage with {@code frames} frames on the full-rate grid: {@code j * (F / frames)}, float32. */
    default NDArray positions(NDManager manager, int frames) {
        if (frames < 1 || frames() % frames != 0) {
            throw new IllegalArgumentException("frames = " + frames + ": allowed: a divisor of " + frames() + ", the"
                    + " full-rate frame count this network was built for (its model configuration's frames); a clip of"
                    + " other length needs a network built for it");
        }
        int r = frames() / frames;
        return manager.arange(0f, (float) frames(), (float) r); // 0, r, .., F - r: small integers, exact in float32
    }

    /**
     * One's own block as a stage network.
     *
     * @param name   a stable name, recorded in checkpoints
     * @param block  an initialised block with the contract above
     * @param frames full-rate frame count F
     */
    static StageNetwork of(String name, Block block, int frames) {
        if (name == null || name.isBlank() || block == null || frames < 1) {
            throw new IllegalArgumentException("name = '" + name + "', block = " + block + ", frames = " + frames
                    + "; allowed: a non-blank name, an initialised block and frames >= 1");
        }
        Map<String, Parameter> params = new LinkedHashMap<>();
        block.getParameters().forEach(p -> {
            if (!p.getValue().isInitialized()) {
                throw new IllegalArgumentException("parameter " + p.getKey() + " of block " + name + " is not initialised;"
                        + " call block.initialize(manager, DataType.FLOAT32, shapes) first");
            }
            params.put(p.getKey(), p.getValue());
        });
        Map<String, Parameter> fixed = Collections.unmodifiableMap(params);
        return new StageNetwork() {
            @Override
            public Block block() {
                return block;
            }

            @Override
            public int frames() {
                return frames;
            }

            @Override
            public Map<String, Parameter> namedParameters() {
                return fixed;
            }

            @Override
            public JsonObject describe() {
                JsonObject o = new JsonObject();
                o.addProperty("network", name);
                o.addProperty("frames", frames);
                JsonObject shapes = new JsonObject();
                fixed.forEach((k, p) -> shapes.addProperty(k, p.getArray().getShape().toString()));
                o.add("parameters", shapes);
                return o;
            }
        };
    }
}

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
 *
 * <p>In a pyramid the same network sees every stage: {@code F_k} is any frame count the pyramid's stages have (for 3
 * stages of 16 frames: 4, 8 and 16), in training and in sampling, so a network of one's own must accept any divisor
 * of F as its frame count (convolutions over time, attention or per-frame layers do; a layer over all F frames
 * flattened does not). Training and sampling run the block through {@link #predict}, which refuses an output of
 * another shape, and a failure of the block on a clip, with the shape of x, the stage and this contract.
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
     * The block's forward pass on {@code in} = (x, t, positions, and inputs of the library's own network), with the
     * contract checked: the output must be one array of x's shape. A block that fails on the clip (an engine or
     * argument error: typically a layer built for another frame count) or returns another shape is refused with an
     * {@link IllegalArgumentException} that names this network, x's shape, {@code where} it ran and the contract; the
     * block's own error is its cause. Running out of memory is not wrapped ({@link Compute#outOfMemory}).
     *
     * @param where what ran it, for the message (e.g. "training step 3, pyramid stage 0 of 2"); built only on failure
     */
    default NDArray predict(ai.djl.training.ParameterStore store, ai.djl.ndarray.NDList in, boolean training,
            java.util.function.Supplier<String> where) {
        NDArray x = in.get(0);
        ai.djl.ndarray.NDList out;
        try {
            out = block().forward(store, in, training);
        } catch (IllegalArgumentException | ai.djl.engine.EngineException e) {
            if (e instanceof ai.djl.engine.EngineException ee && Compute.outOfMemory(ee)) {
                throw ee;
            }
            throw new IllegalArgumentException(label() + " failed on x of shape " + x.getShape() + " (" + where.get()
                    + "): " + e.getMessage() + ". " + contract(x), e);
        }
        if (out.size() != 1 || !out.get(0).getShape().equals(x.getShape())) {
            String got = out.size() == 1 ? "an array of shape " + out.get(0).getShape()
                    : out.size() + " arrays (shapes " + java.util.Arrays.toString(out.getShapes()) + ")";
            throw new IllegalArgumentException(label() + " returned " + got + " for x of shape " + x.getShape() + " ("
                    + where.get() + "); expected one array of shape " + x.getShape() + ". " + contract(x));
        }
        return out.get(0);
    }

    /** "network 'name'" for one's own network, "the network" otherwise: for messages. */
    private String label() {
        com.google.gson.JsonElement n = describe().get("network");
        return n != null && n.isJsonPrimitive() ? "network '" + n.getAsString() + "'" : "the network";
    }

    /** The stage-wise contract, in terms of the clip {@code x} that was given. */
    private String contract(NDArray x) {
        long f = x.getShape().dimension() > 1 ? x.getShape().get(1) : -1;
        return "A stage network takes x [B, F_k, C, H, W], t [B] and positions [F_k] and returns the prediction in the"
                + " shape of x; in a pyramid F_k is each stage's frame count (here " + f + " of the " + frames()
                + " full-rate frames), so the network must accept any frame count that divides " + frames();
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
            if (!p.getValue().requiresGradient()) {
                throw new IllegalArgumentException("parameter " + p.getKey() + " of block " + name + " (type "
                        + p.getValue().getType() + ") takes no gradient; allowed: trainable parameters only, since the"
                        + " trainer's optimizer, EMA and checkpoints treat every parameter as a weight. Running"
                        + " statistics (BatchNorm) are not supported: normalise with LayerNorm or GroupNorm instead");
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

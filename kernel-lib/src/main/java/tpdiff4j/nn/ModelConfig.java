package tpdiff4j.nn;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import tpdiff4j.Refusals;
import tpdiff4j.schedule.StrictJson;

/**
 * Configuration of {@link SpaceTimeTransformer}, an immutable value saved as JSON with checkpoints. Start from a
 * preset and change one thing per {@code withX} copy, e.g. {@code ModelConfig.tiny(spec).withDepth(4).withDim(48)};
 * every copy is checked as the constructor checks it.
 *
 * @param frames       full-rate frame count F (temporal positions live on the grid 0..F-1)
 * @param channels     C of the video
 * @param height       H in pixels, divisible by {@code patch}
 * @param width        W in pixels, divisible by {@code patch}
 * @param patch        side p of the square spatial patches; a frame becomes (H/p)(W/p) tokens
 * @param dim          token width D, divisible by {@code heads} and by 4
 * @param depth        number of transformer blocks
 * @param heads        attention heads
 * @param mlpRatio     hidden width of the MLP is mlpRatio * D
 * @param attention    factorized (spatial then temporal) or full space-time attention
 * @param conditioning how the time embedding enters the blocks
 * @param seed         seed of the weight initialisation
 */
public record ModelConfig(int frames, int channels, int height, int width, int patch, int dim, int depth, int heads,
                          int mlpRatio, Attention attention, Conditioning conditioning, long seed) {

    /** Attention layout of a block. */
    public enum Attention {
        /** spatial attention within each frame, then temporal attention across frames per patch position. */
        FACTORIZED,
        /** one attention over all F * S tokens of a clip. */
        FULL
    }

    /** Time conditioning. */
    public enum Conditioning {
        /** adaLN-Zero (DiT, Peebles and Xie 2023): per-block shift, scale and gate regressed from the embedding. */
        ADALN,
        /** the projected time embedding is added to every token before each block. */
        ADDITIVE
    }

    public ModelConfig {
        positive("frames", frames);
        positive("height", height);
        positive("width", width);
        positive("patch", patch);
        positive("dim", dim);
        positive("depth", depth);
        positive("heads", heads);
        positive("mlpRatio", mlpRatio);
        if (channels != 1 && channels != 3) {
            throw Refusals.refuse("channels", channels, "1 or 3");
        }
        if (height % patch != 0 || width % patch != 0) {
            throw Refusals.refuse("patch", patch, "a side that divides height " + height + " and width " + width);
        }
        if (dim % heads != 0 || dim % 4 != 0) {
            throw new IllegalArgumentException("dim = " + dim + " with heads = " + heads + "; allowed: a dim divisible by 4"
                    + " and by heads (for example " + lcm(4, heads) + " or a multiple of it)");
        }
        // every weight matrix is made as one Java array: its largest one, max(9 (adaLN), mlpRatio, 3) D x D entries,
        // must fit one (an int product beyond that wrapped round: mlpRatio 2^30 at D = 32 gave an MLP of width 0)
        long widest = Math.max(9, mlpRatio);
        if (widest * dim > Integer.MAX_VALUE || widest * dim * dim > MAX_MATRIX) {
            long most = (long) Math.sqrt((double) MAX_MATRIX / widest);
            throw new IllegalArgumentException("dim = " + dim + ", mlpRatio = " + mlpRatio + ": the largest weight matrix ("
                    + (mlpRatio > 9 ? "MLP, mlpRatio * D x D" : "adaLN modulation, 9 D x D") + ") would have "
                    + widest * dim + " x " + dim + " entries, more than one Java array holds (" + MAX_MATRIX
                    + "); allowed: mlpRatio * dim^2 and 9 * dim^2 at most that, e.g. dim <= " + most
                    + " at mlpRatio " + mlpRatio);
        }
        Refusals.notNull(attention, "attention", "one of " + java.util.Arrays.toString(Attention.values()));
        Refusals.notNull(conditioning, "conditioning", "one of " + java.util.Arrays.toString(Conditioning.values()));
    }

    /** The most entries one weight matrix may have: the largest Java array. */
    static final long MAX_MATRIX = Integer.MAX_VALUE - 8;

    private static int lcm(int a, int b) {
        return a / java.math.BigInteger.valueOf(a).gcd(java.math.BigInteger.valueOf(b)).intValue() * b;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw Refusals.refuse(name, v, "at least 1");
        }
    }

    /** Tiny preset for tests and CI: patch 4, D = 32, 2 blocks, 2 heads. */
    public static ModelConfig tiny(int frames, int channels, int height, int width) {
        return new ModelConfig(frames, channels, height, width, 4, 32, 2, 2, 2, Attention.FACTORIZED, Conditioning.ADALN, 0);
    }

    /**
     * Small preset for benchmarks: 8 x 8 patches per frame on a square clip, D = 64, 4 blocks, 4 heads. The patch is
     * the largest side that divides both height and width and is at most {@code min(H, W) / 8} (a 32x24 clip gets
     * patch 2, as 3 divides only one side).
     */
    public static ModelConfig small(int frames, int channels, int height, int width) {
        int patch = Math.max(1, Math.min(height, width) / 8);
        while (patch > 1 && (height % patch != 0 || width % patch != 0)) {
            patch--;
        }
        return new ModelConfig(frames, channels, height, width, patch, 64, 4, 4, 4, Attention.FACTORIZED, Conditioning.ADALN, 0);
    }

    /**
     * Attention-bound preset (full space-time attention, as in the paper's MiniFlux-vid): patch 4, D = 64, 2 blocks,
     * 4 heads, MLP x2 and one attention over all F * S tokens of a clip. At 16 frames of 16x16 pixels (256 tokens)
     * about half of a step's FLOPs are attention, quadratic in the frame count, and the rest grows linearly, so a
     * uniform three-stage pyramid step costs 0.51 of a full-rate step in FLOPs (21/48 = 0.44 if it were all
     * attention, 7/12 = 0.58 if it were all linear); on 32x32 frames attention is 80 % of the FLOPs. The factorized
     * presets spend most of a step on per-token layers and per-call overhead and save less.
     */
    public static ModelConfig attention(int frames, int channels, int height, int width) {
        return new ModelConfig(frames, channels, height, width, 4, 64, 2, 4, 2, Attention.FULL, Conditioning.ADALN, 0);
    }

    /** The preset names {@link #preset} accepts. */
    public static final java.util.List<String> PRESETS = java.util.List.of("tiny", "small", "attention");

    /** Preset by name: "tiny", "small" or "attention". */
    public static ModelConfig preset(String name, int frames, int channels, int height, int width) {
        try {
            return switch (name == null ? "" : name) {
                case "tiny" -> tiny(frames, channels, height, width);
                case "small" -> small(frames, channels, height, width);
                case "attention" -> attention(frames, channels, height, width);
                default -> throw Refusals.refuse("preset", name, "one of " + PRESETS);
            };
        } catch (IllegalArgumentException e) {
            if (height < 1 || width < 1 || !String.valueOf(e.getMessage()).startsWith("patch = ")) {
                throw e;
            }
            // the preset chose the patch, not the user: say so, and which patches would fit
            java.util.List<Integer> fit = new java.util.ArrayList<>();
            int g = java.math.BigInteger.valueOf(height).gcd(java.math.BigInteger.valueOf(width)).intValue();
            for (int p = 1; p <= g; p++) {
                if (g % p == 0) {
                    fit.add(p);
                }
            }
            throw new IllegalArgumentException("preset " + name + " does not fit " + height + "x" + width + " clips: "
                    + e.getMessage() + ". Patches that divide both sides: " + fit + "; make the configuration with"
                    + " new ModelConfig(...) and one of them, or resize the clips", e);
        }
    }

    /** Preset "tiny", "small" or "attention" for clips of {@code spec} (frames, channels, height, width). */
    public static ModelConfig preset(String name, tpdiff4j.data.VideoSpec spec) {
        Refusals.notNull(spec, "spec", "the clips' VideoSpec, e.g. data.spec()");
        return preset(name, spec.frames(), spec.channels(), spec.height(), spec.width());
    }

    /** The tiny preset for clips of {@code spec}. */
    public static ModelConfig tiny(tpdiff4j.data.VideoSpec spec) {
        return preset("tiny", spec);
    }

    /** The small preset for clips of {@code spec}. */
    public static ModelConfig small(tpdiff4j.data.VideoSpec spec) {
        return preset("small", spec);
    }

    /** The attention preset (full space-time attention) for clips of {@code spec}. */
    public static ModelConfig attention(tpdiff4j.data.VideoSpec spec) {
        return preset("attention", spec);
    }

    /** The same with another seed of the weight initialisation. */
    public ModelConfig withSeed(long s) {
        return new ModelConfig(frames, channels, height, width, patch, dim, depth, heads, mlpRatio, attention, conditioning, s);
    }

    /** The same with patches of side {@code p} (it must divide height and width). */
    public ModelConfig withPatch(int p) {
        return new ModelConfig(frames, channels, height, width, p, dim, depth, heads, mlpRatio, attention, conditioning, seed);
    }

    /** The same with token width {@code d} (divisible by 4 and by the heads). */
    public ModelConfig withDim(int d) {
        return new ModelConfig(frames, channels, height, width, patch, d, depth, heads, mlpRatio, attention, conditioning, seed);
    }

    /** The same with {@code n} transformer blocks. */
    public ModelConfig withDepth(int n) {
        return new ModelConfig(frames, channels, height, width, patch, dim, n, heads, mlpRatio, attention, conditioning, seed);
    }

    /** The same with {@code h} attention heads (they must divide the token width). */
    public ModelConfig withHeads(int h) {
        return new ModelConfig(frames, channels, height, width, patch, dim, depth, h, mlpRatio, attention, conditioning, seed);
    }

    /** The same with an MLP hidden width of {@code r} times the token width. */
    public ModelConfig withMlpRatio(int r) {
        return new ModelConfig(frames, channels, height, width, patch, dim, depth, heads, r, attention, conditioning, seed);
    }

    /** The same with factorized or full space-time attention. */
    public ModelConfig withAttention(Attention a) {
        return new ModelConfig(frames, channels, height, width, patch, dim, depth, heads, mlpRatio, a, conditioning, seed);
    }

    /** The same with another way for the time embedding to enter the blocks. */
    public ModelConfig withConditioning(Conditioning c) {
        return new ModelConfig(frames, channels, height, width, patch, dim, depth, heads, mlpRatio, attention, c, seed);
    }

    /** Tokens per frame, S = (H/p)(W/p). */
    public int tokensPerFrame() {
        return (height / patch) * (width / patch);
    }

    /** Values per patch, C p^2. */
    public int patchSize() {
        return channels * patch * patch;
    }

    /**
     * Bytes of the attention weights (the softmax of the scores, float32) that one training step on a batch
     * {@code [batch, frames, C, H, W]} keeps for its backward pass: {@code depth * 4 * B * heads * F * S * n} with
     * {@code n = F S} for full attention and {@code n = S} plus {@code n = F} (the spatial and the temporal layer) for
     * factorized attention. It is a lower bound on the step's memory (the other activations, the weights and the
     * optimizer come on top) and the part that grows with the square of the sequence length; computed in doubles so
     * that huge configurations give a huge number rather than an overflow.
     */
    public double attentionBytes(long batch, long frames) {
        if (batch < 1 || frames < 1) {   // a negative batch gave a negative number of bytes
            throw new IllegalArgumentException("batch = " + batch + ", frames = " + frames + "; allowed: batch >= 1 and"
                    + " frames >= 1");
        }
        double s = tokensPerFrame(), tokens = (double) batch * frames * s;
        double sequenceSum = attention == Attention.FULL ? frames * s : s + frames;
        return (double) depth * 4 * heads * tokens * sequenceSum;
    }

    /** This configuration as a JSON object of its fields, which {@link #fromJson} reads back. */
    public String toJson() {
        return new Gson().toJson(this);
    }

    /** {@link #toJson()} as a tree. */
    public JsonObject toJsonObject() {
        return new Gson().toJsonTree(this).getAsJsonObject();
    }

    /**
     * The configuration {@link #toJson()} wrote, read as strictly as the library's other files: standard JSON
     * ({@code tpdiff4j.schedule.StrictJson}), every field present, no other key, and every value in the form the
     * writer gives it (a number in quotes or an integer with a fraction is refused; {@code 2.0} is read as 2), so that a
     * misspelt or missing {@code "seed"} is an error instead of a model with seed 0.
     *
     * @throws IllegalArgumentException for null, empty or malformed JSON, a missing or unknown field, a value in
     *                                  another form, or a value the constructor refuses (its message, naming the field
     *                                  and what is allowed)
     */
    public static ModelConfig fromJson(String json) {
        String what = "model JSON";
        String allowed = "allowed: the JSON object that ModelConfig.toJson() writes";
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException(what + " = " + (json == null ? "null" : "'" + json + "'") + "; " + allowed);
        }
        JsonElement tree;
        try {
            tree = StrictJson.parse(json, what);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; " + allowed, e);
        }
        if (!tree.isJsonObject()) {
            throw new IllegalArgumentException(what + " = " + StrictJson.excerpt(json) + " is not an object; " + allowed);
        }
        JsonObject o = tree.getAsJsonObject();
        tpdiff4j.schedule.DocumentKind.MODEL_CONFIG.require(o, what);
        java.util.List<String> fields = java.util.Arrays.stream(ModelConfig.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();
        for (java.lang.reflect.RecordComponent f : ModelConfig.class.getRecordComponents()) {
            Class<?> type = f.getType();
            StrictJson.field(o, f.getName(), what, (type.isEnum() ? "one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) : "an integer") + ", in the JSON object that"
                    + " ModelConfig.toJson() writes, with the fields " + fields);
        }
        for (String k : o.keySet()) {
            if (!fields.contains(k)) {
                throw new IllegalArgumentException(what + ": field '" + k + "' = " + StrictJson.excerpt(o.get(k).toString())
                        + " is not part of this format and would be dropped; allowed keys: " + fields);
            }
        }
        ModelConfig read = fromTree(o, what, allowed);
        StrictJson.requireWrittenAsRead(what, o, t -> fromTree(t, what, allowed).toJsonObject(), "ModelConfig.toJson()");
        return read;
    }

    /** Gson's reading of a configuration object, with the constructor's refusal unwrapped. */
    private static ModelConfig fromTree(JsonElement tree, String what, String allowed) {
        try {
            return new Gson().fromJson(tree, ModelConfig.class);
        } catch (com.google.gson.JsonParseException | NumberFormatException | IllegalStateException e) {
            throw new IllegalArgumentException(what + " is malformed (" + e.getMessage() + "); " + allowed, e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) { // the constructor's check, wrapped by Gson
                throw new IllegalArgumentException(what + " " + tree + ": " + refused.getMessage(), refused);
            }
            throw e;
        }
    }
}

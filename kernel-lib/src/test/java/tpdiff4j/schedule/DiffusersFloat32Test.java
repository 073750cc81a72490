package tpdiff4j.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What diffusers computes from an exported {@code scheduler_config.json}, against what the schedule means here.
 *
 * <p>The exported file is read back independently of the library, with the rules diffusers' schedulers apply to it
 * (facts, re-implemented here): {@code linear} is {@code torch.linspace(beta_start, beta_end, N, float32)},
 * {@code scaled_linear} the same between the square roots, squared in float32, {@code squaredcos_cap_v2} is
 * {@code min(1 - f((i + 1) / N) / f(i / N), 0.999)} in float64 stored as float32, {@code trained_betas} are stored as
 * float32; {@code alphas = 1 - betas} in float32 and {@code alphas_cumprod = cumprod(alphas)}, which torch on the CPU
 * accumulates in float64 and rounds to float32 at each output. torch's float32 linspace computes its step in float32
 * and fills the first half forward ({@code start + step i}) and the second half backward ({@code end - step (N - 1 - i)}).
 *
 * <p>Error budget of diffusers' float32 alpha-bar against the float64 one: storing 1 - beta_j in float32 is off by at
 * most half an ulp below 1 (2^-25) plus the error of beta_j itself (at most 4 float32 roundings in the linspace: 4
 * 2^-24 beta_j), a relative error of that over (1 - beta_j); these add up along the product (first order), plus 2^-24
 * for rounding the output. The bound is a worst case; the typical error is a random walk well inside it.
 */
class DiffusersFloat32Test {

    private static final double U = Math.scalb(1.0, -24);   // float32 unit roundoff times 2 (one ulp at 1)

    /** diffusers' float32 betas for a DDIM / DDPM / Euler config, read from the JSON alone. */
    static float[] diffusersBetas(JsonObject o) {
        int n = o.has("num_train_timesteps") ? o.get("num_train_timesteps").getAsInt() : 1000;
        JsonElement tb = o.get("trained_betas");
        float[] b = new float[n];
        if (tb != null && !tb.isJsonNull()) {
            for (int i = 0; i < n; i++) {
                b[i] = (float) tb.getAsJsonArray().get(i).getAsDouble();
            }
            return b;
        }
        String kind = o.has("beta_schedule") ? o.get("beta_schedule").getAsString() : "linear";
        double b0 = o.has("beta_start") ? o.get("beta_start").getAsDouble() : 0.0001;
        double b1 = o.has("beta_end") ? o.get("beta_end").getAsDouble() : 0.02;
        switch (kind) {
            case "linear" -> {
                return torchLinspace((float) b0, (float) b1, n);
            }
            case "scaled_linear" -> {
                float[] r = torchLinspace((float) Math.sqrt(b0), (float) Math.sqrt(b1), n);
                for (int i = 0; i < n; i++) {
                    b[i] = r[i] * r[i];
                }
                return b;
            }
            case "squaredcos_cap_v2" -> {
                for (int i = 0; i < n; i++) {
                    double f0 = Math.pow(Math.cos(((double) i / n + 0.008) / 1.008 * Math.PI / 2), 2);
                    double f1 = Math.pow(Math.cos(((double) (i + 1) / n + 0.008) / 1.008 * Math.PI / 2), 2);
                    b[i] = (float) Math.min(1 - f1 / f0, 0.999);
                }
                return b;
            }
            default -> throw new AssertionError("diffusers has no beta_schedule " + kind);
        }
    }

    /** torch.linspace(start, end, n) in float32 on the CPU. */
    static float[] torchLinspace(float start, float end, int n) {
        float step = (end - start) / (float) (n - 1);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < n / 2 ? start + step * (float) i : end - step * (float) (n - 1 - i);
        }
        return v;
    }

    /** diffusers' alphas_cumprod: float32 alphas, a float64 running product (torch CPU), float32 outputs. */
    static float[] diffusersAlphasCumprod(float[] betas) {
        float[] out = new float[betas.length];
        double p = 1;
        for (int i = 0; i < betas.length; i++) {
            float alpha = 1f - betas[i];
            p *= alpha;
            out[i] = (float) p;
        }
        return out;
    }

    /** Largest relative error of diffusers' alpha-bar against the schedule's, checked step by step against the budget. */
    private static double checkAgainstBudget(NoiseSchedule s) {
        JsonObject o = JsonParser.parseString(Schedules.toDiffusersConfig(s)).getAsJsonObject();
        assertEquals("DDIMScheduler", o.get("_class_name").getAsString());
        float[] betas = diffusersBetas(o);
        float[] ab32 = diffusersAlphasCumprod(betas);
        // against the schedule itself where it is discrete (a wrong key in the file shows here); a schedule without a
        // closed form against the betas it was written as (their alpha-bars: DiffusersExportTest)
        DiscreteSchedule ours = s instanceof DiscreteSchedule d ? d
                : (DiscreteSchedule) Schedules.fromDiffusersConfig(Schedules.toDiffusersConfig(s));
        assertEquals(betas.length, ours.steps());
        double budget = 0;
        double worst = 0;
        for (int i = 0; i < betas.length; i++) {
            double ab = ours.alphaBar(i);
            double beta = 1 - (i == 0 ? ab : ab / ours.alphaBar(i - 1));   // to first order: enough for the budget
            budget += (U / 2 + 4 * U * beta) / (1 - beta);
            double rel = Math.abs(ab32[i] - ab) / ab;
            assertTrue(rel <= 1.01 * (budget + U), s.name() + " step " + i + ": diffusers' alpha-bar " + ab32[i]
                    + " against " + ab + ", relative " + rel + " over the float32 budget " + (budget + U));
            worst = Math.max(worst, rel);
        }
        return worst;
    }

    @Test
    void closedFormsMeanInDiffusersWhatTheyMeanHereUpToFloat32() {
        // Stable Diffusion 1.5, AnimateDiff, DDPM's defaults: what the docs quote as "within 1e-6"
        for (NoiseSchedule s : List.of(Schedules.scaledLinear(0.00085, 0.012, 1000),
                Schedules.linear(0.00085, 0.012, 1000), Schedules.linear(0.0001, 0.02, 1000))) {
            assertTrue(checkAgainstBudget(s) < 1e-6, s.name());
        }
        // the cosine ends with betas at the 0.999 cap: 1 - beta = 0.001 holds its float32 rounding 1000 times larger
        double cosine = checkAgainstBudget(Schedules.cosine(1000));
        assertTrue(cosine < 3e-5 && cosine > 1e-6, "cosine " + cosine);
        checkAgainstBudget(Schedules.betas(0.001, 0.01, 0.1, 0.3, 0.5));
        // schedules without a closed form go out as trained_betas (float32 in diffusers) with the same budget
        checkAgainstBudget(Schedules.vpCosine());
    }

    @Test
    void nearTheCleanEndDiffusersHasOneMinusAlphaBarOnlyToAboutHalfAnUlpOverBeta0() {
        // 1 - alpha_bar_0 = beta_0 (the noise variance of the first step): diffusers stores 1 - beta_0 in float32, so
        // its sigma^2 there is off by up to 2^-25 absolute, a relative error of about 3e-8 / beta_0
        for (NoiseSchedule s : List.of(Schedules.linear(0.0001, 0.02, 1000), Schedules.scaledLinear(0.00085, 0.012, 1000),
                Schedules.cosine(1000))) {
            DiscreteSchedule d = (DiscreteSchedule) s;
            JsonObject o = JsonParser.parseString(Schedules.toDiffusersConfig(s)).getAsJsonObject();
            float[] ab32 = diffusersAlphasCumprod(diffusersBetas(o));
            double beta0 = 1 - d.alphaBar(0);
            double rel = Math.abs((1 - (double) ab32[0]) - beta0) / beta0;
            assertTrue(rel <= (U / 2 + U * beta0) / beta0, s.name() + ": " + rel);
        }
    }

    @Test
    void flowMatchingTrainingSigmasAreTheScheduleAtTimestepOverN() {
        // diffusers' FlowMatchEulerDiscreteScheduler: training timesteps 1..N, sigma = shift(timestep / N) with
        // shift(s) = k s / (1 + (k - 1) s); the library's sigma at t = timestep / N is the same number
        for (double k : new double[] {1.0, 3.0, 0.3}) {
            NoiseSchedule fm = Schedules.flowMatching(k);
            JsonObject o = JsonParser.parseString(Schedules.toDiffusersConfig(fm)).getAsJsonObject();
            assertEquals("FlowMatchEulerDiscreteScheduler", o.get("_class_name").getAsString());
            assertEquals(false, o.get("use_dynamic_shifting").getAsBoolean());
            double shift = o.get("shift").getAsDouble();
            int n = o.get("num_train_timesteps").getAsInt();
            assertEquals(fm, Schedules.fromDiffusersConfig(o.toString()));
            for (int ts = 1; ts <= n; ts++) {
                double plain = (double) ts / n;
                double sigma = shift * plain / (1 + (shift - 1) * plain);
                // two float64 evaluations of the same rational function, written differently: a few ulps
                assertEquals(sigma, fm.sigma(plain), 4 * Math.ulp(sigma), "shift " + k + " timestep " + ts);
                assertEquals(1 - sigma, fm.gamma(plain), 4 * Math.ulp(1.0), "shift " + k + " timestep " + ts);
            }
        }
    }
}

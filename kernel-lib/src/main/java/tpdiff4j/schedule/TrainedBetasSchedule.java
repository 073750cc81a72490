package tpdiff4j.schedule;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;

/**
 * A discrete schedule given by its betas {@code beta_0 .. beta_{N-1}} as numbers (diffusers' {@code trained_betas}):
 * {@code alphaBar_i = prod_{j <= i} (1 - beta_j)}, each beta in (0, 1) and {@code beta_0 < 0.5} (step 0 is the clean
 * end: a table that starts above it is alphas or alphas_cumprod passed as betas). Not checked, because short toy
 * tables are legitimate: that the last step is close to pure noise; sampling starts from pure noise, so keep
 * {@code alphaBar_{N-1}} small (Stable Diffusion 1.5: 0.0047). Time convention and interpolation:
 * {@link DiscreteVpSchedule}. It is how a diffusers config with {@code trained_betas} comes in, and how a schedule
 * without a closed diffusers form goes out ({@link Schedules#toDiffusersConfig}).
 *
 * <p>JSON: {@code {"type": "betas", "version": 1, "betas": [N numbers]}}, every number in full double precision.
 */
public final class TrainedBetasSchedule extends DiscreteVpSchedule {

    static final String TYPE = "betas";

    private final double[] betas;

    TrainedBetasSchedule(double[] betas) {
        super(betas.clone());
        Checks.steps("betas.length", betas.length);
        if (!(betas[0] < 0.5)) {
            throw new IllegalArgumentException("beta_0 = " + betas[0] + ": step 0 is the clean end (t = 0), and with it"
                    + " alphaBar_0 = 1 - beta_0 = " + (1 - betas[0]) + " would be at least half noise (logSnr(0) <= 0);"
                    + " allowed: beta_0 < 0.5 (trained schedules start near 1e-4). A table of alphas (1 - beta) or of"
                    + " alphas_cumprod instead of betas starts like this");
        }
        this.betas = betas.clone();
    }

    /** A copy of the betas. */
    public double[] betas() {
        return betas.clone();
    }

    @Override
    public String name() {
        return "betas(" + betas.length + ")";
    }

    @Override
    public String toJson() {
        JsonObject o = ScheduleJson.header(TYPE);
        JsonArray a = new JsonArray();
        for (double b : betas) {
            a.add(b);
        }
        o.add("betas", a);
        return o.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainedBetasSchedule && Arrays.equals(betas, ((TrainedBetasSchedule) o).betas);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(betas);
    }

    @Override
    public String toString() {
        return name();
    }
}

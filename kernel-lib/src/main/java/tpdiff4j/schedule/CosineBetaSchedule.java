package tpdiff4j.schedule;

import com.google.gson.JsonObject;

/**
 * Improved-DDPM cosine betas (Nichol and Dhariwal 2021, Eq. 17): with
 * {@code f(u) = cos^2(((u + s) / (1 + s)) pi / 2)} and {@code s = 0.008},
 * {@code beta_i = min(1 - f((i + 1) / N) / f(i / N), 0.999)} (diffusers {@code betas_for_alpha_bar}).
 * Time convention and interpolation: {@link DiscreteVpSchedule}.
 */
public final class CosineBetaSchedule extends DiscreteVpSchedule {

    /** Offset s that keeps beta_0 away from 0. */
    public static final double S = 0.008;
    /** Upper clip of the betas. */
    public static final double MAX_BETA = 0.999;

    static final String TYPE = "cosine";

    CosineBetaSchedule(int steps) {
        super(betas(Checks.steps("n", steps)));
    }

    static double[] betas(int n) {
        double[] betas = new double[n];
        for (int i = 0; i < n; i++) {
            betas[i] = Math.min(1 - f((double) (i + 1) / n) / f((double) i / n), MAX_BETA);
        }
        return betas;
    }

    private static double f(double u) {
        double c = Math.cos((u + S) / (1 + S) * Math.PI / 2);
        return c * c;
    }

    @Override
    public String name() {
        return "cosine(" + steps() + ")";
    }

    @Override
    public String toJson() {
        JsonObject o = ScheduleJson.header(TYPE);
        o.addProperty("steps", steps());
        return o.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineBetaSchedule && ((CosineBetaSchedule) o).steps() == steps();
    }

    @Override
    public int hashCode() {
        return 31 * steps() + 7;
    }

    @Override
    public String toString() {
        return name();
    }
}

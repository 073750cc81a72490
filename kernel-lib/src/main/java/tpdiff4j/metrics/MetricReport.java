package tpdiff4j.metrics;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tpdiff4j.Refusals;

/**
 * The metrics of one generated set, for the vanilla-versus-TPDiff comparison table. Immutable; every part is
 * optional (null or empty when not measured) and is added by a {@code withX} copy. {@link #toString()} and
 * {@link #table(List)} print aligned text tables (one column per report, plus the ideal value), {@link #toJson()}
 * and {@link #tableJson(List)} write JSON in which unmeasured or non-finite values are {@code null}.
 *
 * @param name                 label of the generated set
 * @param realClips            number of real clips compared against (0 if none)
 * @param generatedClips       number of generated clips or samples
 * @param realFeatureMean      mean motion feature vector of the real clips ({@link MotionFeatures#NAMES}), or null
 * @param generatedFeatureMean mean motion feature vector of the generated clips, or null
 * @param frechet              Frechet distance d^2 of the motion features (px^2, 0 ideal), or null
 * @param flicker              flicker relative to real clips, or null
 * @param twoSample            classifier two-sample test, or null
 * @param covariance           Gaussian-video covariance error, or null
 * @param stages               per-stage regression fits, possibly empty
 * @param extras               further named numbers (timings such as "train s/step", "sample s", counts such as
 *                             "train steps"), in insertion order; the tables print a whole number among them as an
 *                             integer with all its digits, any other with four significant digits
 */
public record MetricReport(String name, int realClips, int generatedClips, double[] realFeatureMean,
        double[] generatedFeatureMean, Double frechet, FlickerScore flicker, TwoSampleResult twoSample,
        CovarianceError covariance, List<StageFit> stages, Map<String, Double> extras) {

    /** Copies the mutable parts. */
    public MetricReport {
        if (name == null || name.isBlank()) {
            throw Refusals.refuse("name", name == null ? "null" : "'" + name + "'", "a non-blank label");
        }
        realFeatureMean = realFeatureMean == null ? null : realFeatureMean.clone();
        generatedFeatureMean = generatedFeatureMean == null ? null : generatedFeatureMean.clone();
        stages = stages == null ? List.of() : List.copyOf(stages);
        extras = extras == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** @return an empty report with this label */
    public static MetricReport named(String name) {
        return new MetricReport(name, 0, 0, null, null, null, null, null, null, List.of(), Map.of());
    }

    /** @return a copy with numbers of real and generated clips (or samples) */
    public MetricReport withCounts(int real, int generated) {
        return new MetricReport(name, real, generated, realFeatureMean, generatedFeatureMean, frechet, flicker,
                twoSample, covariance, stages, extras);
    }

    /** @return a copy with mean motion feature vectors of the real and generated clips */
    public MetricReport withFeatureMeans(double[] real, double[] generated) {
        return new MetricReport(name, realClips, generatedClips, real, generated, frechet, flicker, twoSample,
                covariance, stages, extras);
    }

    /** @return a copy with the Frechet distance d^2 of the motion features */
    public MetricReport withFrechet(double value) {
        return new MetricReport(name, realClips, generatedClips, realFeatureMean, generatedFeatureMean, value,
                flicker, twoSample, covariance, stages, extras);
    }

    /** @return a copy with the flicker score */
    public MetricReport withFlicker(FlickerScore value) {
        return new MetricReport(name, realClips, generatedClips, realFeatureMean, generatedFeatureMean, frechet,
                value, twoSample, covariance, stages, extras);
    }

    /** @return a copy with the classifier two-sample test result */
    public MetricReport withTwoSample(TwoSampleResult value) {
        return new MetricReport(name, realClips, generatedClips, realFeatureMean, generatedFeatureMean, frechet,
                flicker, value, covariance, stages, extras);
    }

    /** @return a copy with the Gaussian-video covariance error */
    public MetricReport withCovariance(CovarianceError value) {
        return new MetricReport(name, realClips, generatedClips, realFeatureMean, generatedFeatureMean, frechet,
                flicker, twoSample, value, stages, extras);
    }

    /** @return a copy with the per-stage regression fits */
    public MetricReport withStages(List<StageFit> value) {
        return new MetricReport(name, realClips, generatedClips, realFeatureMean, generatedFeatureMean, frechet,
                flicker, twoSample, covariance, value, extras);
    }

    /**
     * @return a copy with one more named number (replacing an earlier one of the same key); a whole number, such as
     *     a step count, prints as an integer in the tables
     */
    public MetricReport with(String key, double value) {
        Map<String, Double> m = new LinkedHashMap<>(extras);
        m.put(key, value);
        return new MetricReport(name, realClips, generatedClips, realFeatureMean, generatedFeatureMean, frechet,
                flicker, twoSample, covariance, stages, m);
    }

    @Override
    public double[] realFeatureMean() {
        return realFeatureMean == null ? null : realFeatureMean.clone();
    }

    @Override
    public double[] generatedFeatureMean() {
        return generatedFeatureMean == null ? null : generatedFeatureMean.clone();
    }

    /** Value equality, comparing the feature-mean arrays by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MetricReport r && name.equals(r.name) && realClips == r.realClips
                && generatedClips == r.generatedClips && Arrays.equals(realFeatureMean, r.realFeatureMean)
                && Arrays.equals(generatedFeatureMean, r.generatedFeatureMean) && Objects.equals(frechet, r.frechet)
                && Objects.equals(flicker, r.flicker) && Objects.equals(twoSample, r.twoSample)
                && Objects.equals(covariance, r.covariance) && stages.equals(r.stages) && extras.equals(r.extras);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, realClips, generatedClips, Arrays.hashCode(realFeatureMean),
                Arrays.hashCode(generatedFeatureMean), frechet, flicker, twoSample, covariance, stages, extras);
    }

    /** @return the rows of this report: label, ideal value, value (NaN where not measured) */
    List<ReportRow> rows() {
        List<ReportRow> rows = new ArrayList<>();
        rows.add(new ReportRow("frechet motion d^2 (px^2)", "0", frechet == null ? Double.NaN : frechet));
        if (flicker != null) {
            rows.add(new ReportRow("flicker MAD / real", "1", flicker.relativeMad()));
            rows.add(new ReportRow("flicker HF / real", "1", flicker.relativeHighFrequency()));
        }
        if (twoSample != null) {
            rows.add(new ReportRow("C2ST accuracy", "0.5", twoSample.accuracy()));
            rows.add(new ReportRow("C2ST AUC", "0.5", twoSample.auc()));
        }
        if (covariance != null) {
            rows.add(new ReportRow("covariance rel. error", "0", covariance.relativeError()));
            rows.add(new ReportRow("covariance MC floor", "-", covariance.noiseFloor()));
        }
        if (generatedFeatureMean != null) {
            for (int j = 0; j < generatedFeatureMean.length && j < MotionFeatures.NAMES.size(); j++) {
                String ideal = realFeatureMean == null ? "-" : ReportRow.format(realFeatureMean[j]);
                rows.add(new ReportRow("feature " + MotionFeatures.NAMES.get(j), ideal, generatedFeatureMean[j]));
            }
        }
        for (StageFit s : stages) {
            rows.add(new ReportRow("stage " + s.stage() + " RMSE", "0", s.rmse()));
            rows.add(new ReportRow("stage " + s.stage() + " R2", "1", s.r2()));
        }
        for (Map.Entry<String, Double> e : extras.entrySet()) {
            rows.add(new ReportRow(e.getKey(), "-", e.getValue(), true));   // a count prints all its digits
        }
        return rows;
    }

    /** @return the aligned text table of several reports, one column each, rows in first-seen order */
    public static String table(List<MetricReport> reports) {
        return ReportRow.table(reports);
    }

    @Override
    public String toString() {
        return table(List.of(this));
    }

    /** @return this report as pretty-printed JSON */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(toJsonTree());
    }

    /** @return a JSON array of the reports */
    public static String tableJson(List<MetricReport> reports) {
        JsonArray a = new JsonArray();
        reports.forEach(r -> a.add(r.toJsonTree()));
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(a);
    }

    JsonObject toJsonTree() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("realClips", realClips);
        o.addProperty("generatedClips", generatedClips);
        o.add("frechet", num(frechet == null ? Double.NaN : frechet));
        if (realFeatureMean != null || generatedFeatureMean != null) {
            JsonObject f = new JsonObject();
            f.add("names", names());
            f.add("real", vector(realFeatureMean));
            f.add("generated", vector(generatedFeatureMean));
            o.add("motionFeatureMeans", f);
        }
        if (flicker != null) {
            JsonObject f = new JsonObject();
            f.add("generatedMad", num(flicker.generatedMad()));
            f.add("realMad", num(flicker.realMad()));
            f.add("relativeMad", num(flicker.relativeMad()));
            f.add("generatedHighFrequency", num(flicker.generatedHighFrequency()));
            f.add("realHighFrequency", num(flicker.realHighFrequency()));
            f.add("relativeHighFrequency", num(flicker.relativeHighFrequency()));
            o.add("flicker", f);
        } else {
            o.add("flicker", JsonNull.INSTANCE);
        }
        if (twoSample != null) {
            JsonObject t = new JsonObject();
            t.add("accuracy", num(twoSample.accuracy()));
            t.add("auc", num(twoSample.auc()));
            t.addProperty("trainSize", twoSample.trainSize());
            t.addProperty("testSize", twoSample.testSize());
            t.add("pValue", num(twoSample.pValue()));
            o.add("twoSample", t);
        } else {
            o.add("twoSample", JsonNull.INSTANCE);
        }
        if (covariance != null) {
            JsonObject c = new JsonObject();
            c.add("relativeError", num(covariance.relativeError()));
            c.add("noiseFloor", num(covariance.noiseFloor()));
            c.add("ratio", num(covariance.ratio()));
            c.addProperty("samples", covariance.samples());
            o.add("covariance", c);
        } else {
            o.add("covariance", JsonNull.INSTANCE);
        }
        JsonArray st = new JsonArray();
        for (StageFit s : stages) {
            JsonObject j = new JsonObject();
            j.addProperty("stage", s.stage());
            j.addProperty("count", s.count());
            j.add("rmse", num(s.rmse()));
            j.add("mae", num(s.mae()));
            j.add("r2", num(s.r2()));
            st.add(j);
        }
        o.add("stages", st);
        JsonObject ex = new JsonObject();
        extras.forEach((k, v) -> ex.add(k, num(v)));
        o.add("extras", ex);
        return o;
    }

    private static JsonArray names() {
        JsonArray a = new JsonArray();
        MotionFeatures.NAMES.forEach(a::add);
        return a;
    }

    private static JsonElement vector(double[] v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        JsonArray a = new JsonArray();
        for (double d : v) {
            a.add(num(d));
        }
        return a;
    }

    private static JsonElement num(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }
}

package tpdiff4j.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tpdiff4j.align.LinearAssignment;

/**
 * Times {@link LinearAssignment#solve(double[][])} against the matrices that
 * {@code environment/py/scipy_assignment.py} times with {@code scipy.optimize.linear_sum_assignment}.
 *
 * <p>For each size {@code n} and kind it draws an {@code n x n} cost matrix from a seed, writes it as a
 * little-endian float64 {@code .npy} file, warms the JIT up for at least one second, and reports the median wall time of several solves;
 * before the first timing, all matrices are solved in turn for a few seconds ({@link #warmUp}).
 * Kinds: {@code uniform} (i.i.d. U[0,1), the usual assignment benchmark) and {@code l2} (Euclidean distances
 * between n Gaussian "videos" and n Gaussian noises of dimension 256, what the batch aligner solves).
 *
 * <p>Usage: {@code java -cp ... tpdiff4j.bench.AssignmentBench [outDir=build/bench] [sizes=64,256,1024] [seed=1]
 * [--quiet]}. Writes {@code outDir/assignment.json} and {@code outDir/assignment/*.npy}.
 */
public final class AssignmentBench {

    private AssignmentBench() {}

    /**
     * The matrix sizes of {@code sizes=64,256,1024}: whole numbers of at least 1, or an exception naming the list and
     * the size that is wrong.
     */
    static int[] sizes(String list) {
        String[] parts = list.split(",", -1);
        int[] n = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            n[i] = Args.number("sizes", p, "a comma-separated list of whole numbers of at least 1 (got '" + list + "')",
                    Integer::parseInt);
            if (n[i] < 1) {
                throw new IllegalArgumentException("sizes = '" + p + "'; allowed: a comma-separated list of whole numbers"
                        + " of at least 1 (got '" + list + "')");
            }
        }
        return n;
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("build/bench");
        int[] sizes = {64, 256, 1024};
        long seed = 1;
        boolean quiet = false;
        try {
            for (String a : args) {
                if (a.equals("--quiet")) {
                    quiet = true;
                } else if (a.startsWith("outDir=")) {
                    out = Path.of(a.substring(7));
                } else if (a.startsWith("sizes=")) {
                    sizes = sizes(a.substring(6));
                } else if (a.startsWith("seed=")) {
                    seed = Args.number("seed", a.substring(5), "a whole number", Long::parseLong);
                } else {
                    System.err.println("[assignment] unknown argument '" + a
                            + "'; allowed: outDir=PATH, sizes=64,256,1024, seed=N, --quiet");
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("[assignment] " + e.getMessage());
            System.exit(2);
        }
        Path dir = out.resolve("assignment");
        Files.createDirectories(dir);
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, double[][]> matrices = new LinkedHashMap<>(); // drawn once: warmed up on, then timed
        for (String kind : new String[] {"uniform", "l2"}) {
            for (int n : sizes) {
                matrices.put(kind + "-" + n, matrix(kind, n, seed + n));
            }
        }
        warmUp(matrices.values());
        for (String kind : new String[] {"uniform", "l2"}) {
            for (int n : sizes) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted");
                }
                double[][] c = matrices.get(kind + "-" + n);
                String file = kind + "-" + n + ".npy";
                writeNpy(dir.resolve(file), c);
                int reps = repetitions(n);
                long warmEnd = System.nanoTime() + 1_000_000_000L; // JIT warm-up: >= 1 s and >= reps solves
                for (int w = 0; w < reps || System.nanoTime() < warmEnd; w++) {
                    LinearAssignment.solve(c);
                }
                double[] ms = new double[reps];
                double total = 0;
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    int[] col = LinearAssignment.solve(c);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                    total = 0;
                    for (int i = 0; i < n; i++) {
                        total += c[i][col[i]];
                    }
                }
                Arrays.sort(ms);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("kind", kind);
                row.put("n", n);
                row.put("file", "assignment/" + file);
                row.put("repetitions", reps);
                row.put("median_ms", ms[reps / 2]);
                row.put("min_ms", ms[0]);
                row.put("total_cost", total);
                rows.add(row);
                if (!quiet) {
                    System.out.printf(Locale.ROOT, "%-8s n=%5d  median %9.3f ms  min %9.3f ms  (%d reps)  cost %.9f%n",
                            kind, n, ms[reps / 2], ms[0], reps, total);
                }
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("solver", "tpdiff4j.align.LinearAssignment (Jonker-Volgenant)");
        report.put("java", System.getProperty("java.version"));
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("seed", seed);
        report.put("results", rows);
        tpdiff4j.schedule.AtomicFiles.writeString(out.resolve("assignment.json"), new GsonBuilder().setPrettyPrinting().create().toJson(report));
        if (!quiet) {
            System.out.println("wrote " + out.resolve("assignment.json"));
        }
    }

    /**
     * Solves every matrix of the run for {@link #WARM_UP_SECONDS} before any is timed. The timed loops warm up
     * again per matrix, but the first matrix of a fresh JVM used to be timed while the optimizing compiler had not
     * finished the solver yet (0.17 ms for n = 64 against 0.013 ms once compiled, measured on this project's 2-core
     * machine): its compile queue is long right after the start.
     */
    static void warmUp(java.util.Collection<double[][]> matrices) {
        List<double[][]> all = List.copyOf(matrices);
        long end = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
        for (int i = 0; System.nanoTime() < end; i++) {
            LinearAssignment.solve(all.get(i % all.size()));
        }
    }

    /** Seconds of the warm-up over all matrices before the first timing. */
    static final double WARM_UP_SECONDS = 5;

    static int repetitions(int n) {
        return n <= 64 ? 200 : n <= 256 ? 40 : 9;
    }

    static double[][] matrix(String kind, int n, long seed) {
        Random rnd = new Random(seed);
        double[][] c = new double[n][n];
        if (kind.equals("uniform")) {
            for (double[] row : c) {
                for (int j = 0; j < n; j++) {
                    row[j] = rnd.nextDouble();
                }
            }
            return c;
        }
        int d = 256;
        double[][] x = new double[n][d];
        double[][] e = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = rnd.nextGaussian();
                e[i][k] = rnd.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = x[i][k] - e[j][k];
                    s += diff * diff;
                }
                c[i][j] = Math.sqrt(s);
            }
        }
        return c;
    }

    /** Writes a C-order little-endian float64 array in NumPy's {@code .npy} format version 1.0. */
    static void writeNpy(Path path, double[][] c) throws IOException {
        int n = c.length;
        int m = n == 0 ? 0 : c[0].length;
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ", " + m + "), }";
        int unpadded = 10 + header.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        head.putShort((short) header.length());
        ByteBuffer body = ByteBuffer.allocate(8 * n * m).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : c) {
            for (double x : row) {
                body.putDouble(x);
            }
        }
        String padded = header;
        tpdiff4j.schedule.AtomicFiles.write(path, os -> {
            os.write(head.array());
            os.write(padded.getBytes(StandardCharsets.US_ASCII));
            os.write(body.array());
        });
    }
}

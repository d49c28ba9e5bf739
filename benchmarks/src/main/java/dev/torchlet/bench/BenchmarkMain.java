package dev.torchlet.bench;

import dev.torchlet.Torch;
import dev.torchlet.backend.cpu.CpuBackend;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the performance suite (W1..W7 with JMH, each next to a baseline measured in the same run, JMH's GC
 * profiler for heap bytes per op, then the W6 native-memory soak) and prints one table.
 *
 * <p>A workload and its baseline run in separate forks, one after the other, and this machine's speed drifts
 * by 10% and more over tens of seconds. So the suite runs in rounds, each benchmark once per round, every
 * other round in reverse order (A B, then B A): a drift weighs on both sides of a ratio alike. A benchmark's
 * figure aggregates its forks of all rounds, as JMH does for several forks; each round measures the
 * annotated (or {@code -i}) iterations divided by the rounds, rounded up.
 *
 * <p>Arguments: JMH's own (e.g. {@code -f 1 -wi 2 -i 3 -w 1s -r 1s} for a quick run, or a regex to run some
 * benchmarks only), plus {@code --rounds N} (default 2), {@code --soak-steps N} (W6 steps of the soak,
 * default 10000; 0 skips it) and {@code --soak-only} (the soak alone).
 */
public final class BenchmarkMain {
    static final Class<?>[] SUITE = {AddBenchmark.class, RegressionStepBenchmark.class, PolyFitBenchmark.class,
            MatmulBenchmark.class, BroadcastAddBenchmark.class, MlpBenchmark.class, BmmBenchmark.class};

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, ClassNotFoundException {
        int soakSteps = 10_000, rounds = 2;
        boolean soakOnly = false;
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--soak-steps")) soakSteps = Integer.parseInt(args[++i]);
            else if (args[i].equals("--rounds")) rounds = Math.max(1, Integer.parseInt(args[++i]));
            else if (args[i].equals("--soak-only")) soakOnly = true;
            else jmhArgs.add(args[i]);
        }
        Map<String, Result<?>[]> scores = new HashMap<>(); // "Class.method[ n=..]" -> {primary, gc.alloc.rate.norm}
        if (!soakOnly) {
            CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));
            List<String> selected = selected(cli.getIncludes());
            jmhArgs.removeAll(cli.getIncludes()); // the options without the regexes: each run names one benchmark
            CommandLineOptions options = new CommandLineOptions(jmhArgs.toArray(new String[0]));
            Map<String, List<BenchmarkResult>> forks = new LinkedHashMap<>();
            Map<String, BenchmarkParams> params = new HashMap<>();
            for (int round = 0; round < rounds; round++) {
                List<String> order = new ArrayList<>(selected);
                if (round % 2 == 1) Collections.reverse(order);
                for (String benchmark : order) {
                    OptionsBuilder opts = new OptionsBuilder();
                    opts.parent(options);
                    opts.include("^" + Pattern.quote(benchmark) + "$");
                    opts.addProfiler(GCProfiler.class);
                    if (!options.getMeasurementIterations().hasValue()) {
                        Class<?> c = Class.forName(benchmark.substring(0, benchmark.lastIndexOf('.')));
                        int iterations = c.getAnnotation(Measurement.class).iterations();
                        opts.measurementIterations((iterations + rounds - 1) / rounds);
                    }
                    for (RunResult r : new Runner(opts.build()).run()) {
                        String key = r.getParams().id();
                        forks.computeIfAbsent(key, k -> new ArrayList<>()).addAll(r.getBenchmarkResults());
                        params.put(key, r.getParams());
                    }
                }
            }
            for (Map.Entry<String, List<BenchmarkResult>> f : forks.entrySet()) {
                RunResult r = new RunResult(params.get(f.getKey()), f.getValue());
                String name = r.getParams().getBenchmark().replaceAll(".*\\.(\\w+\\.\\w+)$", "$1");
                for (String k : r.getParams().getParamsKeys()) name += " " + k + "=" + r.getParams().getParam(k);
                Result<?> alloc = null;
                for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                    if (e.getKey().endsWith("gc.alloc.rate.norm")) alloc = e.getValue();
                }
                scores.put(name, new Result<?>[] {r.getPrimaryResult(), alloc});
            }
        }
        MlpSoak.Result soak = null;
        if (soakSteps > 0) {
            System.out.printf("%n# W6 native-memory soak: %d steps%n", soakSteps);
            soak = MlpSoak.run(soakSteps);
        }
        new Table(scores, soak).print();
    }

    /** The suite's benchmark methods ("dev.torchlet.bench.Class.method") that the regexes select (all without any). */
    static List<String> selected(List<String> regexes) {
        List<String> out = new ArrayList<>();
        for (Class<?> c : SUITE) {
            List<String> names = new ArrayList<>();
            for (Method m : c.getMethods()) if (m.isAnnotationPresent(Benchmark.class)) names.add(c.getName() + "." + m.getName());
            Collections.sort(names);
            for (String name : names) {
                if (regexes.isEmpty() || regexes.stream().anyMatch(re -> Pattern.compile(re).matcher(name).find())) out.add(name);
            }
        }
        return out;
    }

    /** The table: one row per workload, its baseline from the same run, the ratio, the target, PASS/MISS. */
    static final class Table {
        final Map<String, Result<?>[]> scores;
        final MlpSoak.Result soak;
        final List<String[]> rows = new ArrayList<>();

        Table(Map<String, Result<?>[]> scores, MlpSoak.Result soak) {
            this.scores = scores;
            this.soak = soak;
        }

        /** Seconds per op of a benchmark, or NaN when it did not run. */
        double seconds(String name) {
            Result<?>[] r = scores.get(name);
            if (r == null) return Double.NaN;
            String unit = r[0].getScoreUnit();
            double s = r[0].getScore();
            if (unit.startsWith("ns/")) return s * 1e-9;
            if (unit.startsWith("us/")) return s * 1e-6;
            if (unit.startsWith("ms/")) return s * 1e-3;
            if (unit.startsWith("s/")) return s;
            throw new IllegalStateException("unexpected unit " + unit + " of " + name);
        }

        /** Whether JMH's 99.9% error of a benchmark exceeds 30% of its score (a loaded or shared machine). */
        boolean noisy(String... names) {
            for (String name : names) {
                Result<?>[] r = scores.get(name);
                if (r != null && r[0].getScoreError() > 0.3 * r[0].getScore()) return true;
            }
            return false;
        }

        boolean anyNoisy;

        /** Marks the last row's verdict with "?" when its figures are noisy. */
        void markNoise(String... names) {
            String[] r = rows.get(rows.size() - 1);
            if (r == null || !noisy(names)) return;
            r[5] = r[5] + "?";
            anyNoisy = true;
        }

        double allocBytes(String name) {
            Result<?>[] r = scores.get(name);
            return r == null || r[1] == null ? Double.NaN : r[1].getScore();
        }

        /** Adds a row, unless its workload did not run (a regex selected other benchmarks). */
        void add(String workload, String figure, String baseline, String ratio, String target, Boolean pass) {
            if (figure.startsWith("n/a")) {
                rows.add(null);
                return;
            }
            rows.add(new String[] {workload, figure, baseline, ratio, target, pass == null ? "-" : pass ? "PASS" : "MISS"});
        }

        static String f(String fmt, double v) { return Double.isNaN(v) ? "n/a" : String.format(fmt, v); }

        static Boolean pass(boolean ok, double... needed) {
            for (double d : needed) if (Double.isNaN(d)) return null;
            return ok;
        }

        /** A row whose ratio is baseline time / torchlet time (the share of the baseline's speed). */
        void speedRow(String workload, String name, String baselineLabel, String baseName, double workPerOp,
                      String unit, double scale, double target) {
            double t = seconds(name), b = seconds(baseName), ratio = b / t;
            add(workload, f("%.1f ", workPerOp / t / scale) + unit, baselineLabel + " " + f("%.1f ", workPerOp / b / scale) + unit,
                    f("%.1f%%", 100 * ratio), String.format(">= %.0f%% of baseline", 100 * target), pass(ratio >= target, ratio));
            markNoise(name, baseName);
        }

        void print() {
            double loop = seconds("AddBenchmark.javaLoop");
            for (String v : new String[] {"addUnclosed", "addClosed"}) {
                double t = seconds("AddBenchmark." + v), ratio = t / loop;
                add("W1 a.add(b) [100], " + (v.equals("addClosed") ? "closed" : "not closed"), f("%.1f ns/op", t * 1e9),
                        "Java loop, new float[100] " + f("%.1f ns/op", loop * 1e9), f("%.2fx time", ratio),
                        "<= 250 ns/op and <= 3x", pass(t <= 250e-9 && ratio <= 3, ratio));
                markNoise("AddBenchmark." + v, "AddBenchmark.javaLoop");
            }
            double w2 = seconds("RegressionStepBenchmark.step");
            add("W2 seed 000 regression step", f("%.2f us/iter", w2 * 1e6), "-", "-", "<= 10 us/iter", pass(w2 <= 10e-6, w2));
            markNoise("RegressionStepBenchmark.step");
            double w3 = seconds("PolyFitBenchmark.step");
            add("W3 seed 003 fit step", f("%.2f us/step", w3 * 1e6), "-", "-", "<= 40 us/step", pass(w3 <= 40e-6, w3));
            markNoise("PolyFitBenchmark.step");
            for (int n : new int[] {256, 1024}) {
                speedRow("W4 matmul " + n + "x" + n, "MatmulBenchmark.torchletMatmul n=" + n, "raw sgemm",
                        "MatmulBenchmark.rawSgemm n=" + n, 2.0 * n * n * n, "GFLOP/s", 1e9, 0.95);
            }
            long n5 = BroadcastAddBenchmark.N;
            speedRow("W5 [4096,4096] + [4096]", "BroadcastAddBenchmark.torchletAdd", "STREAM add 2 thr",
                    "BroadcastAddBenchmark.streamAdd", 4.0 * (2 * n5 * n5 + n5), "GB/s", 1e9, 0.80);
            speedRow("W6 MLP step, batch " + Mlp.BATCH, "MlpBenchmark.torchletStep", "sgemm bound", "MlpBenchmark.sgemmBound",
                    Mlp.BATCH, "samples/s", 1, 0.85);
            speedRow("W7 bmm [64,128,128]^2", "BmmBenchmark.torchletBmm", "64 raw sgemm", "BmmBenchmark.rawSgemm64",
                    2.0 * BmmBenchmark.B * BmmBenchmark.N * BmmBenchmark.N * BmmBenchmark.N, "GFLOP/s", 1e9, 1.00);
            double loopAlloc = allocBytes("AddBenchmark.javaLoop");
            for (String v : new String[] {"addUnclosed", "addClosed"}) {
                double a = allocBytes("AddBenchmark." + v);
                add("heap W1 " + (v.equals("addClosed") ? "closed" : "not closed"), f("%.0f B/op", a),
                        "Java loop " + f("%.0f B/op", loopAlloc), "-", "<= 200 B/op", pass(a <= 200, a));
            }
            double a2 = allocBytes("RegressionStepBenchmark.step");
            add("heap W2", f("%.0f B/iter", a2), "-", "-", "(reported)", null);
            if (soak != null) {
                add("native W6 soak, " + soak.steps() + " steps",
                        String.format("%.0f/%.0f/%.0f MiB", MlpSoak.mib(soak.afterFirst()), MlpSoak.mib(soak.peak()),
                                MlpSoak.mib(soak.end())),
                        "start/peak/end", String.format("max %.0f -> %.0f MiB", MlpSoak.mib(soak.firstHalfMax()),
                                MlpSoak.mib(soak.secondHalfMax())), "flat (2nd half <= 1st)", soak.flat());
            }

            rows.removeIf(java.util.Objects::isNull);
            String[] head = {"workload", "torchlet", "baseline (same run)", "ratio", "target", ""};
            int[] w = new int[head.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = head[i].length();
                for (String[] r : rows) w[i] = Math.max(w[i], r[i].length());
            }
            System.out.println();
            printRow(head, w);
            StringBuilder rule = new StringBuilder();
            for (int x : w) rule.append("-".repeat(x)).append("  ");
            System.out.println(rule.toString().strip());
            for (String[] r : rows) printRow(r, w);
            if (soak != null) {
                System.out.printf("%nW6 soak: %d steps in %.0f s (%.1f steps/s); torchlet native bytes in use: before training "
                                + "%.1f MiB, after step 1 %.1f MiB, peak %.1f MiB, end %.1f MiB; first-half max %.1f MiB, "
                                + "second-half max %.1f MiB; allocator peak %.1f MiB; process RSS %.0f -> %.0f MiB%n",
                        soak.steps(), soak.seconds(), (soak.steps() - 1) / soak.seconds(), MlpSoak.mib(soak.before()),
                        MlpSoak.mib(soak.afterFirst()), MlpSoak.mib(soak.peak()), MlpSoak.mib(soak.end()),
                        MlpSoak.mib(soak.firstHalfMax()), MlpSoak.mib(soak.secondHalfMax()), MlpSoak.mib(soak.allocatorPeak()),
                        MlpSoak.mib(soak.rssAfterFirst()), MlpSoak.mib(soak.rssEnd()));
            }
            if (anyNoisy) {
                System.out.println("?: JMH's error exceeds 30% of the score for the workload or its baseline (a loaded "
                        + "machine?): rerun on a quiet one before trusting that verdict.");
            }
            System.out.printf("Kernel threads %d; their thresholds for going multi-threaded scaled by %d, as measured "
                    + "in this JVM from a worker's wake-up time (each benchmark fork measures its own).%n",
                    Torch.getNumThreads(), CpuBackend.INSTANCE.parallelGrainScale());
            System.out.printf("W6 baseline: the step's 8 matrix products (%.2f GFLOP) by raw cblas_sgemm at the same shapes "
                    + "and transposes; W5 moves %.0f MiB per op. Every baseline runs in a fork that never loads torchlet.%n",
                    Mlp.gemmFlops() / 1e9, 4.0 * (2 * n5 * n5 + n5) / (1 << 20));
        }

        static void printRow(String[] r, int[] w) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean right = i == 1 || i == 3;
                sb.append(right ? String.format("%" + w[i] + "s", r[i]) : String.format("%-" + w[i] + "s", r[i])).append("  ");
            }
            System.out.println(sb.toString().stripTrailing());
        }
    }
}

package dev.torchlet.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks and prints one table: each workload next to its baseline from the same run, and
 * the ratio (workload time / baseline time: 1.0 is parity, lower is better). Extra arguments are JMH's
 * (e.g. "-f 1 -wi 2 -i 3" for a shorter run).
 */
public final class BenchmarkMain {
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(cli)
                .include(AddBenchmark.class.getSimpleName())
                .include(MatmulBenchmark.class.getSimpleName())
                .build()).run();
        Map<String, double[]> scores = new LinkedHashMap<>(); // name -> {score, error}
        Map<String, String> units = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            String param = r.getParams().getParamsKeys().isEmpty() ? "" : " n=" + r.getParams().getParam("n");
            scores.put(method + param, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
            units.put(method + param, r.getPrimaryResult().getScoreUnit());
        }
        System.out.println();
        System.out.printf("%-34s %16s %-22s %16s %8s%n", "workload", "torchlet", "baseline", "baseline", "time/base");
        row(scores, units, "addClosed", "javaLoop");
        row(scores, units, "addUnclosed", "javaLoop");
        row(scores, units, "torchletMatmul n=256", "rawSgemm n=256");
        row(scores, units, "torchletMatmul n=1024", "rawSgemm n=1024");
    }

    private static void row(Map<String, double[]> scores, Map<String, String> units, String workload, String baseline) {
        double[] w = scores.get(workload), b = scores.get(baseline);
        if (w == null || b == null) return;
        System.out.printf("%-34s %9.2f %-6s %-22s %9.2f %-6s %8.3f%n", workload, w[0], units.get(workload), baseline,
                b[0], units.get(baseline), w[0] / b[0]);
    }
}

package dev.torchlet.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.backend.cpu.Libm;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lr that PyTorch's StepLR, ExponentialLR, CosineAnnealingLR and LambdaLR set (100 steps per case,
 * several settings, one and two param groups, and the deprecated step(epoch)), compared bit for bit:
 * src/test/resources/golden/lr_scheduler.txt, written by tools/golden/lr_scheduler.py with torch 1.13,
 * whose formulas for these cases are those of torch 2.x (see that script).
 */
class LRSchedulerGoldenTest {
    /** The lambdas of tools/golden/lr_scheduler.py, by the same names. */
    static final Map<String, IntToDoubleFunction> LAMBDAS = Map.of(
            "pow095", e -> Libm.pow(0.95, e),
            "div30", e -> Math.floorDiv(e, 30),
            "warmup10", e -> Math.min(1.0, (e + 1) / 10.0),
            "invsqrt", e -> 1.0 / Math.sqrt(e + 1));

    record Case(String name, String kind, String[] args, double[] lrs, int steps, int[] epochs, double[][] want) {
        @Override public String toString() { return name; }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = LRSchedulerGoldenTest.class.getResourceAsStream("/golden/lr_scheduler.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                String[] sides = line.split(" => ");
                String[] head = sides[0].split(" \\| ");
                String[] sched = head[1].trim().split(" ");
                double[] lrs = Arrays.stream(head[2].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
                String steps = head[3].trim();
                int n = -1;
                int[] epochs = null;
                if (steps.startsWith("epochs ")) {
                    epochs = Arrays.stream(steps.substring(7).split(" ")).mapToInt(Integer::parseInt).toArray();
                } else {
                    n = Integer.parseInt(steps);
                }
                String[] groups = sides[1].split(" ; ");
                double[][] want = new double[groups.length][];
                for (int g = 0; g < groups.length; g++) {
                    want[g] = Arrays.stream(groups[g].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
                }
                out.add(new Case(head[0].trim(), sched[0], Arrays.copyOfRange(sched, 1, sched.length), lrs, n, epochs, want));
            }
        }
        return out.stream();
    }

    /** SGD with one group per lr, the first group's lr also the default. */
    static Optimizer optimizer(double... lrs) {
        Optimizer opt = new SGD(List.of(Torch.zeros(1).requiresGrad_(true)), lrs[0]);
        for (int g = 1; g < lrs.length; g++) opt.addParamGroup(List.of(Torch.zeros(1).requiresGrad_(true)), Map.of("lr", lrs[g]));
        return opt;
    }

    static LRScheduler scheduler(String kind, String[] args, Optimizer opt) {
        switch (kind) {
            case "StepLR": return new StepLR(opt, Integer.parseInt(args[0]), Double.parseDouble(args[1]));
            case "ExponentialLR": return new ExponentialLR(opt, Double.parseDouble(args[0]));
            case "CosineAnnealingLR": return new CosineAnnealingLR(opt, Integer.parseInt(args[0]), Double.parseDouble(args[1]));
            case "LambdaLR": {
                List<IntToDoubleFunction> fns = new ArrayList<>();
                for (String a : args) fns.add(LAMBDAS.get(a));
                return fns.size() == 1 ? new LambdaLR(opt, fns.get(0)) : new LambdaLR(opt, fns);
            }
            default: throw new IllegalArgumentException(kind);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("deprecation")
    void matchesPyTorchBitForBit(Case c) {
        Optimizer opt = optimizer(c.lrs);
        LRScheduler sched = scheduler(c.kind, c.args, opt);
        int calls = c.epochs != null ? c.epochs.length : c.steps;
        double[][] got = new double[c.want.length][calls + 1];
        record(opt, got, 0);
        for (int k = 0; k < calls; k++) {
            opt.step();
            if (c.epochs != null) sched.step(c.epochs[k]);
            else sched.step();
            record(opt, got, k + 1);
            for (int g = 0; g < got.length; g++) assertEquals(got[g][k + 1], sched.getLastLr().get(g));
        }
        List<String> wrong = new ArrayList<>();
        for (int g = 0; g < got.length; g++) {
            for (int k = 0; k <= calls; k++) {
                if (Double.doubleToRawLongBits(c.want[g][k]) != Double.doubleToRawLongBits(got[g][k])) {
                    wrong.add("group " + g + " after " + k + " steps: " + got[g][k] + ", PyTorch " + c.want[g][k]);
                }
            }
        }
        assertEquals(List.of(), wrong, c.name);
    }

    private static void record(Optimizer opt, double[][] got, int k) {
        for (int g = 0; g < got.length; g++) got[g][k] = opt.paramGroups().get(g).lr();
    }
}

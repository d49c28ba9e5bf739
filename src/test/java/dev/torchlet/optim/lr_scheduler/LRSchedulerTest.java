package dev.torchlet.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.optim.Adam;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.RMSprop;
import dev.torchlet.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scheduler base: initial_lr, resuming, state dicts, and optimizers that follow the group lr. */
class LRSchedulerTest {
    static Optimizer twoGroups() {
        Optimizer opt = new SGD(List.of(Torch.zeros(1).requiresGrad_(true)), 0.1);
        opt.addParamGroup(List.of(Torch.zeros(1).requiresGrad_(true)), Map.of("lr", 0.5));
        return opt;
    }

    static Stream<Arguments> schedulers() {
        return Stream.of(
                Arguments.of("StepLR", (Function<Optimizer, LRScheduler>) o -> new StepLR(o, 7, 0.5)),
                Arguments.of("ExponentialLR", (Function<Optimizer, LRScheduler>) o -> new ExponentialLR(o, 0.95)),
                Arguments.of("CosineAnnealingLR", (Function<Optimizer, LRScheduler>) o -> new CosineAnnealingLR(o, 10, 0.001)),
                Arguments.of("LambdaLR", (Function<Optimizer, LRScheduler>) o -> new LambdaLR(o, e -> 1.0 / (1 + e))));
    }

    static double[] lrs(Optimizer opt) {
        return opt.paramGroups().stream().mapToDouble(Optimizer.ParamGroup::lr).toArray();
    }

    @Test
    void constructionRecordsInitialLrAndSetsEpochZero() {
        Optimizer opt = twoGroups();
        opt.paramGroups().get(1).options().put("initial_lr", 0.25);   // an existing initial_lr is kept
        StepLR sched = new StepLR(opt, 3);
        assertEquals(0.1, opt.paramGroups().get(0).getDouble("initial_lr"));
        assertEquals(0.25, opt.paramGroups().get(1).getDouble("initial_lr"));
        assertEquals(List.of(0.1, 0.25), sched.baseLrs());
        assertEquals(0, sched.lastEpoch());
        assertEquals(List.of(0.1, 0.5), sched.getLastLr());            // StepLR keeps the lr at epoch 0
        for (int i = 0; i < 3; i++) sched.step();
        assertEquals(3, sched.lastEpoch());
        assertArrayEquals(new double[] {0.1 * 0.1, 0.5 * 0.1}, lrs(opt));
        assertEquals(List.of(0.1 * 0.1, 0.5 * 0.1), sched.getLastLr());
        // the optimizer's state dict carries initial_lr, as PyTorch's does
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) opt.stateDict().get("param_groups");
        assertEquals(0.1, groups.get(0).get("initial_lr"));
    }

    @Test
    void resumingNeedsInitialLr() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(twoGroups(), 0.9, 4));
        assertEquals("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer", e.getMessage());
        var lambdas = assertThrows(IllegalArgumentException.class, () -> new LambdaLR(twoGroups(), List.of(x -> 1.0)));
        assertEquals("Expected 2 lr_lambdas, but got 1", lambdas.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StepLR(twoGroups(), 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(twoGroups(), 0));
    }

    /** PyTorch 2.8: a scheduler built with last_epoch >= 0 keeps the restored lrs on its first step. */
    @Test
    void resumingWithLastEpochKeepsTheLrs() {
        for (Function<Optimizer, LRScheduler> make : List.<Function<Optimizer, LRScheduler>>of(
                o -> new ExponentialLR(o, 0.9, 4), o -> new CosineAnnealingLR(o, 10, 0.0, 4), o -> new StepLR(o, 3, 0.5, 4))) {
            Optimizer opt = twoGroups();
            for (Optimizer.ParamGroup g : opt.paramGroups()) {
                g.options().put("initial_lr", g.lr() * 2);
            }
            LRScheduler sched = make.apply(opt);
            assertArrayEquals(new double[] {0.1, 0.5}, lrs(opt), sched.getClass().getSimpleName());
            assertEquals(5, sched.lastEpoch());
            assertEquals(List.of(0.2, 1.0), sched.baseLrs());
        }
        Optimizer opt = twoGroups();
        for (Optimizer.ParamGroup g : opt.paramGroups()) g.options().put("initial_lr", g.lr());
        ExponentialLR exp = new ExponentialLR(opt, 0.9, 4);
        exp.step();
        assertArrayEquals(new double[] {0.1 * 0.9, 0.5 * 0.9}, lrs(opt));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void stateDictResumesTheSameSequence(String name, Function<Optimizer, LRScheduler> make) {
        Optimizer straight = twoGroups();
        LRScheduler s1 = make.apply(straight);
        List<double[]> want = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            s1.step();
            want.add(lrs(straight));
        }

        Optimizer first = twoGroups();
        LRScheduler a = make.apply(first);
        for (int i = 0; i < 40; i++) a.step();
        Map<String, Object> optState = first.stateDict();
        Map<String, Object> schedState = a.stateDict();
        assertEquals(40, schedState.get("last_epoch"));
        assertEquals(41, schedState.get("_step_count"));
        assertEquals(List.of(0.1, 0.5), schedState.get("base_lrs"));

        Optimizer second = twoGroups();
        LRScheduler b = make.apply(second);          // PyTorch's order: build, then load both state dicts
        second.loadStateDict(optState);
        b.loadStateDict(schedState);
        assertEquals(40, b.lastEpoch());
        assertEquals(a.getLastLr(), b.getLastLr());
        for (int i = 40; i < 100; i++) {
            b.step();
            assertArrayEquals(want.get(i), lrs(second), name + " step " + (i + 1));
        }
        assertEquals(schedState.keySet(), b.stateDict().keySet());
    }

    @Test
    void settingsTravelInTheStateDict() {
        Map<String, Object> sd = new StepLR(twoGroups(), 7, 0.5).stateDict();
        assertEquals(7, sd.get("step_size"));
        assertEquals(0.5, sd.get("gamma"));
        StepLR other = new StepLR(twoGroups(), 3, 0.1);
        other.loadStateDict(sd);
        assertEquals(7, other.stepSize());
        assertEquals(0.5, other.gamma());
        CosineAnnealingLR cos = new CosineAnnealingLR(twoGroups(), 5);
        cos.loadStateDict(new CosineAnnealingLR(twoGroups(), 20, 0.01).stateDict());
        assertEquals(20, cos.tMax());
        assertEquals(0.01, cos.etaMin());
        assertEquals(java.util.Arrays.asList(null, null), new LambdaLR(twoGroups(), e -> 1.0).stateDict().get("lr_lambdas"));
        assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(Map.of("last_epoch", "x")));
    }

    /** The new lr applies from the next optimizer step: SGD moves p by exactly the group's lr (grad 1). */
    @Test
    void sgdFollowsTheScheduledLr() {
        Tensor p = Torch.zeros(1).requiresGrad_(true);
        Optimizer opt = new SGD(List.of(p), 1.0);
        StepLR sched = new StepLR(opt, 1, 0.5);
        double expected = 0, lr = 1.0;
        for (int i = 0; i < 6; i++) {
            opt.zeroGrad();
            p.sum().backward();
            opt.step();
            expected -= lr;
            assertEquals(expected, p.item(), 0.0);
            sched.step();
            lr *= 0.5;
        }
    }

    /** Adam and RMSprop read the lr each step too: a schedule that drops it to 0 freezes the parameter. */
    @Test
    void adamAndRmspropFollowTheScheduledLr() {
        for (Function<List<Tensor>, Optimizer> make : List.<Function<List<Tensor>, Optimizer>>of(
                ps -> new Adam(ps, 0.1), ps -> new RMSprop(ps, 0.1), ps -> new SGD(ps, 0.1, 0.9))) {
            Tensor p = Torch.ones(3).requiresGrad_(true);
            Optimizer opt = make.apply(List.of(p));
            LambdaLR sched = new LambdaLR(opt, e -> e == 0 ? 1.0 : 0.0);
            opt.zeroGrad();
            p.pow(2).sum().backward();
            opt.step();
            float[] moved = p.toFloatArray();
            assertTrue(moved[0] < 1f, opt.getClass().getSimpleName());
            sched.step();
            assertEquals(0.0, opt.paramGroups().get(0).lr());
            opt.zeroGrad();
            p.pow(2).sum().backward();
            opt.step();
            assertArrayEquals(moved, p.toFloatArray(), opt.getClass().getSimpleName());
        }
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Module;
import dev.torchlet.nn.ReLU;
import dev.torchlet.nn.Sequential;
import dev.torchlet.optim.Adam;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run that checkpoints its model, optimizer and random state to safetensors files and resumes
 * in fresh objects ends bit for bit where one uninterrupted run ends.
 */
class CheckpointResumeTest {
    static final int N = 7;
    static final int M = 6;

    @TempDir Path dir;

    static Module model() { return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 1)); }

    /** One step on a fresh random minibatch from the default generator (so the random state matters too). */
    static void step(Module model, Optimizer opt) {
        try (var s = Torch.scope()) {
            Tensor x = Torch.randn(16, 4);
            Tensor y = x.sum(1, true).sin();
            Tensor loss = new MSELoss().forward(model.forward(x), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
    }

    static List<int[]> bits(Module model) {
        List<int[]> out = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            float[] v = p.toFloatArray();
            int[] b = new int[v.length];
            for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
            out.add(b);
        }
        return out;
    }

    static void assertSameBits(List<int[]> expected, List<int[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
    }

    /** N + M uninterrupted steps. */
    static List<int[]> uninterrupted(Function<Module, Optimizer> optimizer) {
        Torch.manualSeed(0);
        Module model = model();
        Optimizer opt = optimizer.apply(model);
        for (int t = 0; t < N + M; t++) step(model, opt);
        return bits(model);
    }

    static Map<String, Object> trainerState(int step) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        state.put("rng_state", Generator.defaultGenerator().getState());
        return state;
    }

    /** Checkpoint as Hugging Face's Trainer lays it out: model.safetensors, optimizer and trainer state beside it. */
    @Test void sgdWithMomentumResumesBitForBit() {
        Function<Module, Optimizer> sgd = m -> new SGD(m.parameters(), 0.05, 0.9, 0, 1e-3, true);
        List<int[]> expected = uninterrupted(sgd);

        Torch.manualSeed(0);
        Module model = model();
        Optimizer opt = sgd.apply(model);
        for (int t = 0; t < N; t++) step(model, opt);
        Torch.save(model.stateDict(), dir.resolve("model.safetensors"));
        Torch.save(opt.stateDict(), dir.resolve("optimizer.safetensors"));
        Torch.save(trainerState(N), dir.resolve("trainer_state.safetensors"));

        Torch.manualSeed(12345); // another initialization, another random state, another learning rate
        Module resumed = model();
        Optimizer resumedOpt = new SGD(resumed.parameters(), 0.5, 0.9, 0, 1e-3, true);
        try (var s = Torch.scope()) { // the loaded tensors (and their file mappings) go at the end of the scope
            resumed.loadStateDict(Torch.load(dir.resolve("model.safetensors")));
            resumedOpt.loadStateDict(Torch.loadDict(dir.resolve("optimizer.safetensors")));
        }
        Map<String, Object> trainer = Torch.loadDict(dir.resolve("trainer_state.safetensors"));
        assertEquals((long) N, trainer.get("step"));
        Generator.defaultGenerator().setState((byte[]) trainer.get("rng_state"));
        assertEquals(0.05, resumedOpt.paramGroups().get(0).lr());
        for (int t = N; t < N + M; t++) step(resumed, resumedOpt);
        assertSameBits(expected, bits(resumed));
    }

    /** Everything in one checkpoint file, as {@code torch.save({"model": ..., "optimizer": ...}, path)}. */
    @Test @SuppressWarnings("unchecked")
    void adamResumesBitForBitFromOneFile() {
        Function<Module, Optimizer> adam = m -> new Adam(m.parameters(), 0.01, 0.9, 0.999, 1e-8, 1e-4, true);
        List<int[]> expected = uninterrupted(adam);

        Torch.manualSeed(0);
        Module model = model();
        Optimizer opt = adam.apply(model);
        for (int t = 0; t < N; t++) step(model, opt);
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("model", model.stateDict());
        checkpoint.put("optimizer", opt.stateDict());
        checkpoint.putAll(trainerState(N));
        Path path = dir.resolve("checkpoint.safetensors");
        Torch.save(checkpoint, path);

        Torch.manualSeed(777);
        Module resumed = model();
        Optimizer resumedOpt = adam.apply(resumed);
        Map<String, Object> loaded = Torch.loadDict(path);
        resumed.loadStateDict((Map<String, Tensor>) (Map<String, ?>) loaded.get("model"));
        resumedOpt.loadStateDict((Map<String, Object>) loaded.get("optimizer"));
        Generator.defaultGenerator().setState((byte[]) loaded.get("rng_state"));
        Map<String, Object> state0 = (Map<String, Object>) ((Map<String, Object>) resumedOpt.stateDict().get("state")).get("0");
        assertEquals((long) N, state0.get("step"));
        for (int t = N; t < N + M; t++) step(resumed, resumedOpt);
        assertSameBits(expected, bits(resumed));

        // without the optimizer state the run goes elsewhere: the comparison above is not vacuous
        Torch.manualSeed(777);
        Module fresh = model();
        Optimizer freshOpt = adam.apply(fresh);
        fresh.loadStateDict((Map<String, Tensor>) (Map<String, ?>) Torch.loadDict(path).get("model"));
        Generator.defaultGenerator().setState((byte[]) loaded.get("rng_state"));
        for (int t = N; t < N + M; t++) step(fresh, freshOpt);
        List<int[]> other = bits(fresh);
        boolean same = true;
        for (int i = 0; i < other.size(); i++) same &= Arrays.equals(expected.get(i), other.get(i));
        assertFalse(same);
    }
}

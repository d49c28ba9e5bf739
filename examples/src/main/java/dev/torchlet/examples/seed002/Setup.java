package dev.torchlet.examples.seed002;

import dev.torchlet.Generator;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.F;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;

/**
 * What the programs of seed 002 share, re-created silently (nothing printed) by the programs that come after
 * the cells that made it: the seed, the data, and the state the notebook's cells left behind.
 */
final class Setup {
    private Setup() {}

    /** In [2]: {@code torch.manual_seed(1)}. Nothing before In [19] draws from the stream. */
    static Generator seed() { return Torch.manualSeed(1); }

    /** In [3]: {@code x_train}, {@code y_train}. */
    record Data(Tensor xTrain, Tensor yTrain) {}

    static Data data() {
        Tensor xTrain = Torch.tensor(new float[][] {{1}, {2}, {3}});
        Tensor yTrain = Torch.tensor(new float[][] {{1}, {2}, {3}});
        return new Data(xTrain, yTrain);
    }

    /** In [6] - In [11]: W and b from zeros, the hypothesis and its cost. */
    record Manual(Data data, Tensor W, Tensor b, Tensor hypothesis, Tensor cost) {}

    static Manual manual() {
        Data d = data();
        Tensor W = Torch.zeros(1).requiresGrad_();
        Tensor b = Torch.zeros(1).requiresGrad_();
        Tensor hypothesis = d.xTrain().mul(W).add(b);
        Tensor cost = hypothesis.sub(d.yTrain()).pow(2).mean();
        return new Manual(d, W, b, hypothesis, cost);
    }

    /** In [19] - In [23]: the seeded model, its hypothesis and cost. */
    record Module(Data data, LinearRegressionModel model, Tensor hypothesis, Tensor cost) {}

    static Module module() {
        seed();
        Data d = data();
        LinearRegressionModel model = new LinearRegressionModel();
        Tensor hypothesis = model.forward(d.xTrain());
        Tensor cost = F.mseLoss(hypothesis, d.yTrain());
        return new Module(d, model, hypothesis, cost);
    }

    /** In [25] - In [26]: the one gradient step on that model (draws nothing from the stream). */
    static Module moduleStepped() {
        Module m = module();
        Optimizer optimizer = new SGD(m.model().parameters(), 0.01);
        optimizer.zeroGrad();
        m.cost().backward();
        optimizer.step();
        return m;
    }

    /**
     * How IPython displays an object whose class has no repr of its own, such as the generator that
     * {@code torch.manual_seed} returns: {@code <torch._C.Generator at 0x1e146c52310>}. The address is this
     * JVM's identity hash, as arbitrary as CPython's address.
     */
    static String ipythonDefaultRepr(String pythonClass, Object o) {
        return "<" + pythonClass + " at 0x" + Integer.toHexString(System.identityHashCode(o)) + ">";
    }
}

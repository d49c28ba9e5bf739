package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.torchlet.nn.F;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.Module;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training programs of seed 002, printed as the notebook printed them (values copied from its output). */
class SeedTrainingTest {
    /** Seed 002, "Training with Full Code": W, b from zeros, SGD lr 0.01. */
    @Test void seed002HandWrittenLinearRegression() {
        Tensor x = Torch.tensor(new float[][] {{1}, {2}, {3}}), y = Torch.tensor(new float[][] {{1}, {2}, {3}});
        Tensor w = Torch.zeros(1).requiresGrad_(), b = Torch.zeros(1).requiresGrad_();
        Optimizer optimizer = new SGD(List.of(w, b), 0.01);
        List<String> lines = new ArrayList<>();
        for (int epoch = 0; epoch <= 1000; epoch++) {
            Tensor hypothesis = x.mul(w).add(b);
            Tensor cost = hypothesis.sub(y).pow(2).mean();
            optimizer.zeroGrad();
            cost.backward();
            optimizer.step();
            if (epoch % 100 == 0) {
                // the notebook's format has three fields for four values, so "Cost" shows b
                lines.add(String.format("Epoch %4d/%d W: %.3f Cost: %.6f", epoch, 1000, w.item(), b.item()));
            }
        }
        assertEquals(List.of(
                "Epoch    0/1000 W: 0.093 Cost: 0.040000",
                "Epoch  100/1000 W: 0.873 Cost: 0.289036",
                "Epoch  200/1000 W: 0.900 Cost: 0.227211",
                "Epoch  300/1000 W: 0.921 Cost: 0.178608",
                "Epoch  400/1000 W: 0.938 Cost: 0.140402",
                "Epoch  500/1000 W: 0.951 Cost: 0.110369",
                "Epoch  600/1000 W: 0.962 Cost: 0.086760",
                "Epoch  700/1000 W: 0.970 Cost: 0.068201",
                "Epoch  800/1000 W: 0.976 Cost: 0.053612",
                "Epoch  900/1000 W: 0.981 Cost: 0.042144",
                "Epoch 1000/1000 W: 0.985 Cost: 0.033129"), lines);
    }

    /** Seed 002's first steps printed: the graph names and the values after one SGD step. */
    @Test void seed002FirstStepPrints() {
        Tensor x = Torch.tensor(new float[][] {{1}, {2}, {3}}), y = Torch.tensor(new float[][] {{1}, {2}, {3}});
        Tensor w = Torch.zeros(1).requiresGrad_(), b = Torch.zeros(1).requiresGrad_();
        Tensor hypothesis = x.mul(w).add(b);
        assertEquals("tensor([[-1.],\n        [-2.],\n        [-3.]], grad_fn=<SubBackward0>)", hypothesis.sub(y).toString());
        assertEquals("tensor([[1.],\n        [4.],\n        [9.]], grad_fn=<PowBackward0>)", hypothesis.sub(y).pow(2).toString());
        Tensor cost = hypothesis.sub(y).pow(2).mean();
        assertEquals("tensor(4.6667, grad_fn=<MeanBackward0>)", cost.toString());
        Optimizer optimizer = new SGD(List.of(w, b), 0.01);
        optimizer.zeroGrad();
        cost.backward();
        optimizer.step();
        assertEquals("tensor([0.0933], requires_grad=True)", w.toString());
        assertEquals("tensor([0.0400], requires_grad=True)", b.toString());
        hypothesis = x.mul(w).add(b);
        assertEquals("tensor([[0.1333],\n        [0.2267],\n        [0.3200]], grad_fn=<AddBackward0>)", hypothesis.toString());
        assertEquals("tensor(3.6927, grad_fn=<MeanBackward0>)", hypothesis.sub(y).pow(2).mean().toString());
    }

    static final class LinearRegressionModel extends Module {
        final Linear linear = register("linear", new Linear(1, 1));

        @Override public Tensor forward(Tensor x) { return linear.forward(x); }
    }

    /**
     * Seed 002's nn.Module part: after manual_seed(1) the notebook builds a model (printing its prediction and
     * loss), then a second one that it trains; both print as the notebook printed them.
     */
    @Test void seed002ModuleTraining() {
        Torch.manualSeed(1);
        Tensor x = Torch.tensor(new float[][] {{1}, {2}, {3}}), y = Torch.tensor(new float[][] {{1}, {2}, {3}});
        LinearRegressionModel first = new LinearRegressionModel();
        Tensor hypothesis = first.forward(x);
        assertEquals("tensor([[0.0739],\n        [0.5891],\n        [1.1044]], grad_fn=<AddmmBackward0>)",
                hypothesis.toString());
        assertEquals("tensor(2.1471, grad_fn=<MseLossBackward0>)", F.mseLoss(hypothesis, y).toString());
        LinearRegressionModel model = new LinearRegressionModel();
        Optimizer optimizer = new SGD(model.parameters(), 0.01);
        List<String> lines = new ArrayList<>();
        for (int epoch = 0; epoch <= 1000; epoch++) {
            Tensor prediction = model.forward(x);
            Tensor cost = F.mseLoss(prediction, y);
            optimizer.zeroGrad();
            cost.backward();
            optimizer.step();
            if (epoch % 100 == 0) {
                lines.add(String.format("Epoch %4d/%d W: %.3f, b: %.3f Cost: %.6f", epoch, 1000,
                        model.parameters().get(0).item(), model.parameters().get(1).item(), cost.item()));
            }
        }
        assertEquals(List.of(
                "Epoch    0/1000 W: -0.101, b: 0.508 Cost: 4.630286",
                "Epoch  100/1000 W: 0.713, b: 0.653 Cost: 0.061555",
                "Epoch  200/1000 W: 0.774, b: 0.514 Cost: 0.038037",
                "Epoch  300/1000 W: 0.822, b: 0.404 Cost: 0.023505",
                "Epoch  400/1000 W: 0.860, b: 0.317 Cost: 0.014525",
                "Epoch  500/1000 W: 0.890, b: 0.250 Cost: 0.008975",
                "Epoch  600/1000 W: 0.914, b: 0.196 Cost: 0.005546",
                "Epoch  700/1000 W: 0.932, b: 0.154 Cost: 0.003427",
                "Epoch  800/1000 W: 0.947, b: 0.121 Cost: 0.002118",
                "Epoch  900/1000 W: 0.958, b: 0.095 Cost: 0.001309",
                "Epoch 1000/1000 W: 0.967, b: 0.075 Cost: 0.000809"), lines);
    }
}

package dev.torchlet.examples.seed000;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 000, "지난 시간에 했던 for문을 보고 step 찾기": the previous lecture's gradient descent loop, shown to
 * find its four steps (yhat, loss, derivative, update). The cell prints nothing, and neither does this port.
 *
 * <p>As shown, the cell does not run on its own: {@code Whats}, {@code yhats}, {@code losses} and
 * {@code alpha} come from the previous lecture. The port starts the lists empty and assumes a learning rate
 * of {@code alpha=0.001} (this notebook does not give it; nothing printed depends on it). Python's {@code .tolist()} and {@code .item()} become Java arrays and
 * doubles (the same float32 values); {@code What.data} is {@code What.detach()} and {@code What.data = ...}
 * is {@code What.setData(...)}.
 */
public final class P01GradientDescentLoop {
    public static void main(String[] args) {
        Data d = Data.regression();
        double alpha = 0.001;
        List<float[]> whats = new ArrayList<>();
        List<float[]> yhats = new ArrayList<>();
        List<Double> losses = new ArrayList<>();

        Tensor what = Torch.tensor(-5.0f, 10.0f).requiresGrad_();
        for (int epoc = 0; epoc < 30; epoc++) {
            whats.add(what.detach().toFloatArray());
            what.setGrad(null);
            Tensor yhat = d.X.matmul(what);              // step 1: yhat
            yhats.add(yhat.detach().toFloatArray());
            Tensor loss = d.y.sub(yhat).pow(2).sum();    // step 2: loss
            losses.add(loss.item());
            loss.backward();                             // step 3: derivative
            what.setData(what.detach().sub(what.grad().detach().mul(alpha))); // step 4: update
        }
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * Seed 000's losses, printed values copied from the notebook: the [100] - [100, 1] broadcast gives PyTorch's
 * (wrong) 187.0950 where the right loss is 109.8145, and MSELoss warns about it.
 */
class Seed000Test {
    @Test void broadcastLossGivesPyTorchsNumber() {
        Torch.manualSeed(202150754);
        Tensor ones = Torch.ones(100);
        Tensor x = Torch.randn(100).sort().values();
        Tensor xMat = Torch.vstack(ones, x).t();
        Tensor w = Torch.tensor(2.5f, 4f);
        Tensor eps = Torch.randn(100).mul(0.4);
        Tensor y = xMat.matmul(w).add(eps);

        Tensor what = Torch.tensor(-5.0f, 10.0f).requiresGrad_();
        Tensor yhat1 = xMat.matmul(what);
        Linear net = new Linear(2, 1, false);
        assertEquals("tensor([[-0.1629,  0.6929]])", net.weight().detach().toString());
        try (var g = Torch.noGrad()) {
            net.weight().copy_(Torch.tensor(new float[][] {{-5.0f, 10.0f}}));
        }
        Tensor yhat2 = net.forward(xMat);

        assertEquals("tensor(109.8145, grad_fn=<MeanBackward0>)", y.sub(yhat1).pow(2).mean().toString());
        assertEquals("tensor(187.0950, grad_fn=<MeanBackward0>)", y.sub(yhat2).pow(2).mean().toString());
        assertEquals("tensor(109.8145, grad_fn=<MeanBackward0>)", y.sub(yhat2.flatten()).pow(2).mean().toString());
        MSELoss lossfn = new MSELoss();
        assertEquals("tensor(109.8145, grad_fn=<MseLossBackward0>)", lossfn.forward(y, yhat1).toString());
        assertEquals("tensor(109.8145, grad_fn=<MseLossBackward0>)", lossfn.forward(y.reshape(100, 1), yhat2).toString());

        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            assertEquals("tensor(187.0950, grad_fn=<MseLossBackward0>)", lossfn.forward(y, yhat2).toString());
        } finally {
            System.setErr(err);
        }
        assertTrue(captured.toString().contains("UserWarning: Using a target size (torch.Size([100, 1])) that is "
                + "different to the input size (torch.Size([100]))"), captured.toString());
    }
}

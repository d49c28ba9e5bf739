package dev.torchlet.examples.seed000;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;

/**
 * Seed 000's first cell, "Data", which prints nothing: the simple regression y_i = 2.5 + 4 x_i + e_i,
 * i = 1..100, drawn after {@code torch.manual_seed(202150754)}. Every program of the first part starts from
 * it, as the notebook's cells did; {@link #yhat1()} and {@link #yhat2()} re-run step 1's methods 1 and 2
 * silently for the loss programs. What follows on the default generator (the Linear layers' init) draws
 * the same numbers as in the notebook because this runs first.
 */
final class Data {
    final Tensor ones, x, X, W, eps, y, ytrue;

    private Data() {
        Torch.manualSeed(202150754);
        long n = 100;
        ones = Torch.ones(n);
        x = Torch.randn(n).sort().values();              // x,_=torch.randn(n).sort()
        X = Torch.vstack(ones, x).t();
        W = Torch.tensor(2.5f, 4f);
        eps = Torch.randn(n).mul(0.4);                   // ϵ=torch.randn(n)*0.4
        y = X.matmul(W).add(eps);
        ytrue = X.matmul(W);
    }

    /** Runs the Data cell: seeds the default generator and draws the data. */
    static Data regression() { return new Data(); }

    /** Step 1, method 1: What=torch.tensor([-5.0,10.0],requires_grad=True); yhat1=X@What. */
    Tensor yhat1() {
        Tensor what = Torch.tensor(-5.0f, 10.0f).requiresGrad_();
        return X.matmul(what);
    }

    /**
     * Step 1, method 2: net=torch.nn.Linear(2,1,bias=False) (its init draws from the generator, as in the
     * notebook), net.weight.data=torch.tensor([[-5.0,10.0]]); yhat2=net(X).
     */
    Tensor yhat2() {
        Linear net = new Linear(2, 1, false);
        net.weight().setData(Torch.tensor(new float[][] {{-5.0f, 10.0f}}));
        return net.forward(X);
    }

    /** How IPython displays a tuple whose items' reprs span lines: "(a,\n b)", item lines indented by one. */
    static String tuple(Object... items) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < items.length; i++) {
            if (i > 0) s.append(",\n ");
            s.append(items[i].toString().replace("\n", "\n "));
        }
        return s.append(')').toString();
    }
}

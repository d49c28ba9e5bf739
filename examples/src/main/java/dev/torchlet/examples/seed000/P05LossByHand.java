package dev.torchlet.examples.seed000;

import dev.torchlet.Tensor;

/**
 * Seed 000, step 2 (loss), "방법1: 손실함수를 직접정의하는 방법": the mean squared error written out. y is [100]
 * and yhat2 = net(X) is [100, 1], so y - yhat2 broadcasts to [100, 100] and gives the wrong 187.0950;
 * flattening yhat2 or reshaping y gives the right 109.8145.
 */
public final class P05LossByHand {
    public static void main(String[] args) {
        Data d = Data.regression();
        Tensor y = d.y;
        Tensor yhat1 = d.yhat1();
        Tensor yhat2 = d.yhat2();

        Tensor loss = y.sub(yhat1).pow(2).mean();        // torch.mean((y-yhat1)**2)
        System.out.println(loss);
        loss = y.sub(yhat2).pow(2).mean();               // torch.mean((y-yhat2)**2)
        System.out.println(loss);
        System.out.println(y.sub(yhat2).shape());        // (y-yhat2).shape
        System.out.println(y.shape());
        System.out.println(yhat2.shape());
        System.out.println(y.sub(yhat2.flatten()).pow(2).mean()); // torch.mean((y-yhat2.flatten())**2)
        loss = y.reshape(100, 1).sub(yhat2).pow(2).mean();        // torch.mean((y.reshape(100,1)-yhat2)**2)
        System.out.println(loss);
    }
}

import dev.torchlet.*
import dev.torchlet.nn.*
import dev.torchlet.nn.Module
var x = Torch.tensor(new float[][] {{1, 2}, {3, 4}})
x.matmul(x)
var w = Torch.tensor(1f, -1f).requiresGrad_()
var loss = x.matmul(w).pow(2).sum()
loss.backward()
w.grad()
Torch.manualSeed(0)
Module model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 1))
model.forward(x)
/exit

package dev.torchlet.examples.seed001;

import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the programs of seed 001 share: the notebook's data cell and the six models of "step1~2 요약", re-created
 * silently (nothing printed) by the programs that come after the cell that made them, with the notebook's seed
 * and in the notebook's order, so that the random stream is where the notebook had it. (The nn.Linear of
 * 방법2, 3, 5 and 6 draw initial weights that the notebook overwrites at once, so P02Method2 ... P06Method6 need
 * only the data before them; the training programs, whose initial weights count, get every draw before theirs.)
 */
final class Setup {
    private Setup() {}

    static final int N = 100;

    /** The "Data" cell: x sorted standard normals, X = [1, x], y = X @ [2.5, 4] + 0.5 * noise. */
    record Data(Tensor x, Tensor X, Tensor y) {}

    static Data data() {
        Torch.manualSeed(202150754);
        Tensor ones = Torch.ones(N);
        Tensor x = Torch.randn(N).sort().values();
        Tensor X = Torch.vstack(ones, x).t();
        Tensor W = Torch.tensor(2.5f, 4f);
        Tensor epsilon = Torch.randn(N).mul(0.5);
        Tensor y = X.matmul(W).add(epsilon);
        return new Data(x, X, y);
    }

    /** The six ways of "step1~2 요약" (방법1 ... 방법6), each with its loss, as the notebook left them. */
    record Methods(Data data, Tensor what1, Tensor loss1, Linear net2, Tensor loss2, Linear net3, Tensor loss3,
                   Tensor what4, Tensor loss4, Linear net5, Tensor loss5, Linear net6, Tensor loss6) {}

    /** The data cell and the six cells of 방법1 ... 방법6 (see P01Method1 ... P06Method6). */
    static Methods methods() {
        Data d = data();
        Tensor y100 = d.y().reshape(100, 1);
        Tensor what1 = Torch.tensor(-5.0f, 10.0f).requiresGrad_();
        Tensor loss1 = d.y().sub(d.X().matmul(what1)).pow(2).mean();
        Linear net2 = new Linear(2, 1, false);
        net2.weight().setData(Torch.tensor(new float[][] {{-5.0f, 10.0f}}));
        Tensor loss2 = y100.sub(net2.forward(d.X())).pow(2).mean();
        Linear net3 = new Linear(1, 1, true);
        net3.weight().setData(Torch.tensor(new float[][] {{10.0f}}));
        net3.bias().setData(Torch.tensor(new float[][] {{-5.0f}}));
        Tensor loss3 = y100.sub(net3.forward(d.x().reshape(100, 1))).pow(2).mean();
        Tensor what4 = Torch.tensor(-5.0f, 10.0f).requiresGrad_();
        MSELoss lossfn = new MSELoss();
        Tensor loss4 = lossfn.forward(d.y(), d.X().matmul(what4));
        Linear net5 = new Linear(2, 1, false);
        net5.weight().setData(Torch.tensor(new float[][] {{-5.0f, 10.0f}}));
        Tensor loss5 = lossfn.forward(y100, net5.forward(d.X()));
        Linear net6 = new Linear(1, 1, true);
        net6.weight().setData(Torch.tensor(new float[][] {{10.0f}}));
        net6.bias().setData(Torch.tensor(new float[][] {{-5.0f}}));
        Tensor loss6 = lossfn.forward(y100, net6.forward(d.x().reshape(100, 1)));
        return new Methods(d, what1, loss1, net2, loss2, net3, loss3, what4, loss4, net5, loss5, net6, loss6);
    }

    /** "step3: derivation": the six losses' backward passes (see P07Derivation). */
    static Methods derived() {
        Methods m = methods();
        for (Tensor loss : List.of(m.loss1(), m.loss2(), m.loss3(), m.loss4(), m.loss5(), m.loss6())) loss.backward();
        return m;
    }

    /** How IPython displays a tuple of two or more values (its pretty printer; see {@link #pretty}). */
    static String tuple(Object... items) { return pretty("(", List.of(items), ")"); }

    /** How IPython displays a list, such as {@code list(net.parameters())} (see {@link #pretty}). */
    static String list(List<?> items) { return pretty("[", items, "]"); }

    /**
     * IPython's pretty printer on a sequence: on one line, {@code (a, b)}, when every repr is one line and the
     * whole fits in 79 columns; otherwise one element after another with {@code ",\n "} between them and every
     * continuation line of an element indented by one space, as in {@code [Parameter containing:\n tensor(...)]}.
     */
    static String pretty(String open, List<?> items, String close) {
        List<String> reprs = items.stream().map(String::valueOf).toList();
        String flat = String.join(", ", reprs);
        if (reprs.stream().noneMatch(r -> r.contains("\n")) && open.length() + flat.length() + close.length() <= 79) {
            return open + flat + close;
        }
        return reprs.stream().map(r -> r.replace("\n", "\n ")).collect(Collectors.joining(",\n ", open, close));
    }
}

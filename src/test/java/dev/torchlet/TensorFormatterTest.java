package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TensorFormatter against PyTorch's repr(tensor). Strings marked "seed" are copied verbatim from the
 * printed outputs in the lecture notebooks (shared/seeds); the others were derived from
 * torch/_tensor_str.py and checked against a real torch (1.13, whose _tensor_str.py matches 2.x in
 * every path used here).
 */
class TensorFormatterTest {
    private static final Device CPU = Device.cpu();

    @AfterEach
    void restoreOptions() {
        PrintOptions.set(PrintOptions.DEFAULT);
    }

    // ---- seeds: the printed values fed back in must print the same text ----

    @Test
    void seed000VectorWrapsSevenPerLineWithNegativeAlignment() {
        assertRefeeds(SEED_000_VECTOR, new long[] {100}, "grad_fn=<MvBackward0>");
    }

    @Test
    void seed000ColumnMatrix() {
        assertRefeeds(SEED_000_COLUMN, new long[] {100, 1}, "grad_fn=<MmBackward0>");
    }

    @Test
    void seed000ColumnMatrixWithSmallValues() {
        assertRefeeds(SEED_000_COLUMN_SMALL, new long[] {100, 1}, "grad_fn=<MmBackward0>");
    }

    @Test
    void seed000SmallMatrices() {
        assertRefeeds("tensor([[-0.1629,  0.6929]])", new long[] {1, 2});
        assertRefeeds("tensor([[-5., 10.]])", new long[] {1, 2});
        assertRefeeds("tensor([[-0.9442]])", new long[] {1, 1});
        assertRefeeds("tensor([[10.]], requires_grad=True)", new long[] {1, 1}, "requires_grad=True");
        assertRefeeds("tensor([-5.], requires_grad=True)", new long[] {1}, "requires_grad=True");
        assertRefeeds("tensor([[0.1152, 0.4159, 0.3233]])", new long[] {1, 3});
        assertRefeeds("tensor([[ 2.5000,  5.0000, -2.0000]])", new long[] {1, 3});
    }

    @Test
    void seed000Scalars() {
        assertRefeeds("tensor(109.8145, grad_fn=<MeanBackward0>)", new long[0], "grad_fn=<MeanBackward0>");
        assertRefeeds("tensor(187.0950, grad_fn=<MeanBackward0>)", new long[0], "grad_fn=<MeanBackward0>");
        assertRefeeds("tensor(109.8145, grad_fn=<MseLossBackward0>)", new long[0], "grad_fn=<MseLossBackward0>");
        assertRefeeds("tensor(24.9339, grad_fn=<MseLossBackward0>)", new long[0], "grad_fn=<MseLossBackward0>");
    }

    @Test
    void seed002LiteralTensors() {
        assertEquals("tensor([[1.],\n        [2.],\n        [3.]])", f32(new long[] {3, 1}, 1, 2, 3));
        assertEquals("tensor([0.], requires_grad=True)", f32(new long[] {1}, List.of("requires_grad=True"), 0));
        assertEquals("tensor([[0.],\n        [0.],\n        [0.]], grad_fn=<AddBackward0>)",
                f32(new long[] {3, 1}, List.of("grad_fn=<AddBackward0>"), 0, 0, 0));
        assertEquals("tensor([[-1.],\n        [-2.],\n        [-3.]], grad_fn=<SubBackward0>)",
                f32(new long[] {3, 1}, List.of("grad_fn=<SubBackward0>"), -1, -2, -3));
        assertEquals("tensor([[1.],\n        [4.],\n        [9.]], grad_fn=<PowBackward0>)",
                f32(new long[] {3, 1}, List.of("grad_fn=<PowBackward0>"), 1, 4, 9));
        // mean of 1, 4, 9 in float32; W.item() printed as 0.9854263663291931
        assertEquals("tensor(4.6667, grad_fn=<MeanBackward0>)",
                f32(new long[0], List.of("grad_fn=<MeanBackward0>"), 14.0f / 3.0f));
        assertEquals("tensor([0.9854], requires_grad=True)",
                f32(new long[] {1}, List.of("requires_grad=True"), 0.9854263663291931));
    }

    @Test
    void seed002PrintedValues() {
        assertRefeeds("tensor([0.0933], requires_grad=True)", new long[] {1}, "requires_grad=True");
        assertRefeeds("tensor([0.0400], requires_grad=True)", new long[] {1}, "requires_grad=True");
        assertRefeeds("tensor([[0.1333],\n        [0.2267],\n        [0.3200]], grad_fn=<AddBackward0>)",
                new long[] {3, 1}, "grad_fn=<AddBackward0>");
        assertRefeeds("tensor([[0.0739],\n        [0.5891],\n        [1.1044]], grad_fn=<AddmmBackward>)",
                new long[] {3, 1}, "grad_fn=<AddmmBackward>");
        assertRefeeds("tensor(3.6927, grad_fn=<MeanBackward0>)", new long[0], "grad_fn=<MeanBackward0>");
    }

    @Test
    void seed004Matrices() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.],\n        [5., 6.]])", f32(new long[] {3, 2}, 1, 2, 3, 4, 5, 6));
        assertEquals("tensor([[0., 0., 0.],\n        [0., 0., 0.],\n        [0., 0., 0.],\n        [0., 0., 0.]])",
                f32(new long[] {4, 3}, new double[12]));
        assertEquals("tensor([[2., 2.],\n        [2., 2.],\n        [2., 2.],\n        [2., 2.]])",
                f32(new long[] {4, 2}, 2, 2, 2, 2, 2, 2, 2, 2));
        assertEquals("tensor([[1., 1.],\n        [4., 4.]])", f32(new long[] {2, 2}, 1, 1, 4, 4));
        assertEquals("tensor(2.5000)", f32(new long[0], 2.5));
        assertEquals("tensor(10.)", f32(new long[0], 10));
        assertEquals("tensor([[0., 0.],\n        [0., 0.],\n        [0., 0.]], requires_grad=True)",
                f32(new long[] {3, 2}, List.of("requires_grad=True"), 0, 0, 0, 0, 0, 0));
        assertRefeeds("tensor(2.0794)", new long[0]);
        assertRefeeds("tensor([[-0.6224,  0.0873],\n        [-0.8073,  1.3279],\n        [-0.2260,  0.6625],\n"
                + "        [ 0.7383, -1.0155]], grad_fn=<AddmmBackward0>)", new long[] {4, 2}, "grad_fn=<AddmmBackward0>");
    }

    @Test
    void seed004ScientificWithSubnormalAndZero() {
        assertRefeeds("tensor([[2.3425e+18, 2.1328e-42],\n        [2.3425e+18, 2.1328e-42],\n"
                + "        [2.3425e+18, 2.1328e-42],\n        [2.3425e+18, 2.1328e-42]])", new long[] {4, 2});
        assertRefeeds("tensor([[2.3425e+18, 0.0000e+00],\n        [2.3425e+18, 0.0000e+00],\n"
                + "        [2.3425e+18, 0.0000e+00],\n        [2.3425e+18, 0.0000e+00]], grad_fn=<AddBackward0>)",
                new long[] {4, 2}, "grad_fn=<AddBackward0>");
        assertRefeeds("tensor([2.3425e+18, 0.0000e+00], requires_grad=True)", new long[] {2}, "requires_grad=True");
    }

    // ---- derived from _tensor_str.py (and checked against torch) ----

    @Test
    void scientificModeForSmallValues() {
        assertEquals("tensor([1.0000e-05, 1.0000e+00])", f32(new long[] {2}, 1e-5, 1.0));
        assertEquals("tensor([-1.0000e-05,  1.0000e+00])", f32(new long[] {2}, -1e-5, 1.0));
        assertEquals("tensor([5.0000e-05, 5.0000e-01])", f32(new long[] {2}, 0.00005, 0.5));
        assertEquals("tensor(1.0000e-04)", f32(new long[0], 1e-4));
    }

    @Test
    void scientificModeForLargeRatioOrMagnitude() {
        // integers: max > 1e8 goes scientific
        assertEquals("tensor([1.0000e+10, 1.0000e+00])", f32(new long[] {2}, 1e10, 1.0));
        // max / min > 1000
        assertEquals("tensor([1.2346e+05, 5.0000e-01])", f32(new long[] {2}, 123456, 0.5));
        // integers within ratio 1000 stay "1." style, right-aligned
        assertEquals("tensor([100.,   1.])", f32(new long[] {2}, 100, 1));
    }

    @Test
    void float32OneEMinus4IsBelowThresholdButFloat64IsNot() {
        // float32(1e-4) = 9.99999974e-05 < 1e-4; the float64 value is not
        assertEquals("tensor([1.0000e-04, 1.0000e-02])", f32(new long[] {2}, 1e-4, 0.01));
        assertEquals("tensor([0.0001, 0.0100], dtype=torch.float64)",
                TensorFormatter.repr(new long[] {2}, DType.FLOAT64, new double[] {1e-4, 0.01}, CPU, List.of()));
    }

    @Test
    void nanAndInfinity() {
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        assertEquals("tensor([nan, inf, 1.])", f32(new long[] {3}, nan, inf, 1));
        assertEquals("tensor([1.5000,    nan,   -inf])", f32(new long[] {3}, 1.5, nan, -inf));
        // no nonzero finite value: width 1, int mode
        assertEquals("tensor([0., nan, inf])", f32(new long[] {3}, 0, nan, inf));
        // a NaN with its sign bit set (what 0/0 gives) still prints "nan"
        assertEquals("tensor(nan)", f32(new long[0], Double.longBitsToDouble(0xfff8000000000000L)));
    }

    @Test
    void negativeZero() {
        // -0.0 is not measured, so "-0.0000" is wider than the width and gets no padding
        assertEquals("tensor([-0.0000, 1.5000])", f32(new long[] {2}, -0.0, 1.5));
        assertEquals("tensor(-0.)", f32(new long[0], -0.0));
    }

    @Test
    void roundHalfEvenOnTheExactBinaryValue() {
        // exact ties (1/32, 3/32) go to the even digit
        assertEquals("tensor([0.0312, 0.0938, 1.0000])", f32(new long[] {3}, 0.03125, 0.09375, 1.0));
        // otherwise the exact binary value decides, and float32 and float64 values differ
        assertEquals("tensor([1.0002, 2.0002, 0.3333], dtype=torch.float64)", TensorFormatter.repr(new long[] {3},
                DType.FLOAT64, new double[] {1.00015, 2.00025, 0.33335}, CPU, List.of()));
        assertEquals("tensor([1.0001, 2.0003, 0.3334])", f32(new long[] {3}, 1.00015, 2.00025, 0.33335));
    }

    @Test
    void zeroDimTensors() {
        assertEquals("tensor(3.5000)", f32(new long[0], 3.5));
        assertEquals("tensor(2)", TensorFormatter.repr(new long[0], DType.INT64, new long[] {2}, CPU, List.of()));
        assertEquals("tensor(True)", TensorFormatter.repr(new long[0], DType.BOOL, new boolean[] {true}, CPU, List.of()));
    }

    @Test
    void int64AndBool() {
        assertEquals("tensor([ 1, -2,  3])", TensorFormatter.repr(new long[] {3}, DType.INT64, new long[] {1, -2, 3}, CPU, List.of()));
        assertEquals("tensor([ True, False])",
                TensorFormatter.repr(new long[] {2}, DType.BOOL, new boolean[] {true, false}, CPU, List.of()));
        assertEquals("tensor([-9223372036854775808,  9223372036854775807])", TensorFormatter.repr(new long[] {2},
                DType.INT64, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, CPU, List.of()));
    }

    @Test
    void float64PrintsItsDtype() {
        assertEquals("tensor([1., 2.], dtype=torch.float64)",
                TensorFormatter.repr(new long[] {2}, DType.FLOAT64, new double[] {1, 2}, CPU, List.of()));
        assertEquals("tensor([1., 2.], dtype=torch.float64, requires_grad=True)", TensorFormatter.repr(new long[] {2},
                DType.FLOAT64, new double[] {1, 2}, CPU, List.of("requires_grad=True")));
    }

    @Test
    void emptyTensors() {
        assertEquals("tensor([])", f32(new long[] {0}));
        assertEquals("tensor([], size=(0, 3))", f32(new long[] {0, 3}));
        assertEquals("tensor([], dtype=torch.int64)",
                TensorFormatter.repr(new long[] {0}, DType.INT64, new long[0], CPU, List.of()));
        assertEquals("tensor([], dtype=torch.float64)",
                TensorFormatter.repr(new long[] {0}, DType.FLOAT64, new double[0], CPU, List.of()));
        assertEquals("tensor([], size=(2, 0), dtype=torch.bool)",
                TensorFormatter.repr(new long[] {2, 0}, DType.BOOL, new boolean[0], CPU, List.of()));
        assertEquals("tensor([], requires_grad=True)", f32(new long[] {0}, List.of("requires_grad=True")));
    }

    @Test
    void threeDimensionsLeaveABlankLineBetweenMatrices() {
        assertEquals("tensor([[[ 0.,  1.,  2.],\n         [ 3.,  4.,  5.]],\n\n        [[ 6.,  7.,  8.],\n"
                + "         [ 9., 10., 11.]]])", f32(new long[] {2, 2, 3}, arange(12)));
    }

    @Test
    void summarizedVectors() {
        // the formatter sees only 0, 1, 2, 1997, 1998, 1999: ratio 1999 > 1000 gives scientific notation
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
                f32(new long[] {2000}, arange(2000)));
        long[] ints = new long[2000];
        for (int i = 0; i < ints.length; i++) ints[i] = i;
        assertEquals("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])",
                TensorFormatter.repr(new long[] {2000}, DType.INT64, ints, CPU, List.of()));
        // 1000 elements is not above the threshold
        assertEquals(false, f32(new long[] {1000}, arange(1000)).contains("..."));
    }

    @Test
    void summarizedMatrices() {
        long[] ints = new long[10000];
        for (int i = 0; i < ints.length; i++) ints[i] = i;
        assertEquals("tensor([[   0,    1,    2,  ...,   97,   98,   99],\n"
                + "        [ 100,  101,  102,  ...,  197,  198,  199],\n"
                + "        [ 200,  201,  202,  ...,  297,  298,  299],\n"
                + "        ...,\n"
                + "        [9700, 9701, 9702,  ..., 9797, 9798, 9799],\n"
                + "        [9800, 9801, 9802,  ..., 9897, 9898, 9899],\n"
                + "        [9900, 9901, 9902,  ..., 9997, 9998, 9999]])",
                TensorFormatter.repr(new long[] {100, 100}, DType.INT64, ints, CPU, List.of()));
        double[] ones = new double[10000];
        Arrays.fill(ones, 1);
        String row = "[1., 1., 1.,  ..., 1., 1., 1.]";
        assertEquals("tensor([" + row + ",\n        " + row + ",\n        " + row + ",\n        ...,\n        " + row
                + ",\n        " + row + ",\n        " + row + "])", f32(new long[] {100, 100}, ones));
    }

    @Test
    void deviceSuffix() {
        Device cuda = Device.cuda(0);
        assertEquals("tensor([1., 2.], device='cuda:0')",
                TensorFormatter.repr(new long[] {2}, DType.FLOAT32, new double[] {1, 2}, cuda, List.of()));
        assertEquals("tensor([1., 2.], device='cuda:0', dtype=torch.float64, requires_grad=True)", TensorFormatter.repr(
                new long[] {2}, DType.FLOAT64, new double[] {1, 2}, cuda, List.of("requires_grad=True")));
        assertEquals("tensor([], device='cuda:1', size=(0, 3), dtype=torch.int64)",
                TensorFormatter.repr(new long[] {0, 3}, DType.INT64, new long[0], Device.cuda(1), List.of()));
    }

    @Test
    void suffixWrapsOntoANewLineWhenTheLineIsTooLong() {
        assertEquals("tensor([-27.9716, -26.0391, -25.8951, -24.1830, -23.6405, -23.1161, -22.0441],\n"
                + "       grad_fn=<AddBackward0>)", f32(new long[] {7}, List.of("grad_fn=<AddBackward0>"),
                -27.9716, -26.0391, -25.8951, -24.1830, -23.6405, -23.1161, -22.0441));
        assertEquals("tensor([-27.9716, -26.0391, -25.8951, -24.1830, -23.6405, -23.1161, -22.0441],\n"
                + "       requires_grad=True)", f32(new long[] {7}, List.of("requires_grad=True"),
                -27.9716, -26.0391, -25.8951, -24.1830, -23.6405, -23.1161, -22.0441));
    }

    @Test
    void printOptions() {
        PrintOptions.set(new PrintOptions(4, 1000, 3, 80, false));
        // width still measured in scientific notation, values printed fixed
        assertEquals("tensor([    0.0000,     1.0000])", f32(new long[] {2}, 1e-5, 1.0));
        PrintOptions.set(new PrintOptions(4, 1000, 3, 80, true));
        assertEquals("tensor([1.0000e+00, 2.0000e+00])", f32(new long[] {2}, 1, 2));
        // with no nonzero finite value the forced mode is never applied
        assertEquals("tensor([0., 0.])", f32(new long[] {2}, 0, 0));
        PrintOptions.set(new PrintOptions(2, 1000, 3, 80, null));
        assertEquals("tensor([1.12])", f32(new long[] {1}, 1.12345));
        PrintOptions.set(new PrintOptions(4, 5, 3, 80, null));
        assertEquals("tensor([0, 1, 2,  ..., 7, 8, 9])",
                TensorFormatter.repr(new long[] {10}, DType.INT64, new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, CPU, List.of()));
        assertEquals(4, PrintOptions.DEFAULT.precision());
        assertEquals(1000, PrintOptions.DEFAULT.threshold());
        assertEquals(3, PrintOptions.DEFAULT.edgeItems());
        assertEquals(80, PrintOptions.DEFAULT.lineWidth());
        assertEquals(null, PrintOptions.DEFAULT.sciMode());
    }

    @Test
    void rejectsValuesThatDoNotMatchTheShapeOrDtype() {
        assertThrows(IllegalArgumentException.class,
                () -> TensorFormatter.repr(new long[] {3}, DType.FLOAT32, new double[2], CPU, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> TensorFormatter.repr(new long[] {2}, DType.INT64, new double[2], CPU, List.of()));
    }

    // ---- helpers ----

    /** A float32 tensor: each value rounded to float, as torch.tensor([...]) stores it. */
    private static String f32(long[] shape, double... values) {
        return f32(shape, List.of(), values);
    }

    private static String f32(long[] shape, List<String> suffixes, double... values) {
        double[] stored = new double[values.length];
        for (int i = 0; i < values.length; i++) stored[i] = (float) values[i];
        return TensorFormatter.repr(shape, DType.FLOAT32, stored, CPU, suffixes);
    }

    private static double[] arange(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = i;
        return values;
    }

    private static final Pattern NUMBER = Pattern.compile("-?(?:\\d+\\.?\\d*(?:e[+-]\\d+)?|nan|inf)");

    /** Feeds the numbers printed in a float32 tensor's text back in and expects the same text. */
    private static void assertRefeeds(String printed, long[] shape, String... suffixes) {
        String contents = printed.split("(dtype|grad_fn|requires_grad|device)=", 2)[0];
        List<Double> values = new ArrayList<>();
        Matcher m = NUMBER.matcher(contents);
        while (m.find()) {
            String s = m.group().replace("nan", "NaN").replace("inf", "Infinity");
            values.add(Double.parseDouble(s));
        }
        double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(printed, f32(shape, List.of(suffixes), array));
    }

    private static final String SEED_000_VECTOR = """
            tensor([-27.9716, -26.0391, -25.8951, -24.1830, -23.6405, -23.1161, -22.0441,
                    -21.9913, -21.4959, -21.2860, -20.4771, -19.6991, -19.1434, -18.0758,
                    -17.5390, -17.4888, -16.8212, -16.6630, -16.2503, -14.3326, -13.8527,
                    -13.6397, -13.5228, -13.2096, -12.8514, -12.8461, -12.7527, -12.2431,
                    -12.0267, -11.7990, -11.6495, -11.5587, -11.5497, -11.1709, -10.9643,
                    -10.7969, -10.7696, -10.7324, -10.6567, -10.4404, -10.1049,  -9.9527,
                     -9.7916,  -9.3899,  -9.2762,  -8.2773,  -8.0850,  -7.9550,  -7.8498,
                     -7.7767,  -7.6419,  -7.2295,  -7.1686,  -6.9773,  -6.9454,  -6.6435,
                     -5.6597,  -5.5200,  -5.4562,  -5.3640,  -4.9588,  -4.9111,  -4.5447,
                     -3.9894,  -3.6367,  -3.0762,  -2.4928,  -2.4512,  -2.1695,  -2.0062,
                     -1.7060,   0.1909,   0.5915,   0.9467,   1.3453,   1.4359,   2.0752,
                      2.4723,   2.5368,   2.7189,   2.7902,   2.8337,   3.2249,   3.7238,
                      3.8636,   3.9170,   3.9852,   5.0601,   5.7496,   6.0569,   7.0621,
                      7.2674,   7.6805,   7.9669,   8.4266,   9.6044,   9.6791,  10.7418,
                     12.6324,  18.9507], grad_fn=<MvBackward0>)""";

    private static final String SEED_000_COLUMN = """
            tensor([[-27.9716],
                    [-26.0391],
                    [-25.8951],
                    [-24.1830],
                    [-23.6405],
                    [-23.1161],
                    [-22.0441],
                    [-21.9913],
                    [-21.4959],
                    [-21.2860],
                    [-20.4771],
                    [-19.6991],
                    [-19.1434],
                    [-18.0758],
                    [-17.5390],
                    [-17.4888],
                    [-16.8212],
                    [-16.6630],
                    [-16.2503],
                    [-14.3326],
                    [-13.8527],
                    [-13.6397],
                    [-13.5228],
                    [-13.2096],
                    [-12.8514],
                    [-12.8461],
                    [-12.7527],
                    [-12.2431],
                    [-12.0267],
                    [-11.7990],
                    [-11.6495],
                    [-11.5587],
                    [-11.5497],
                    [-11.1709],
                    [-10.9643],
                    [-10.7969],
                    [-10.7696],
                    [-10.7324],
                    [-10.6567],
                    [-10.4404],
                    [-10.1049],
                    [ -9.9527],
                    [ -9.7916],
                    [ -9.3899],
                    [ -9.2762],
                    [ -8.2773],
                    [ -8.0850],
                    [ -7.9550],
                    [ -7.8498],
                    [ -7.7767],
                    [ -7.6419],
                    [ -7.2295],
                    [ -7.1686],
                    [ -6.9773],
                    [ -6.9454],
                    [ -6.6435],
                    [ -5.6597],
                    [ -5.5200],
                    [ -5.4562],
                    [ -5.3640],
                    [ -4.9588],
                    [ -4.9111],
                    [ -4.5447],
                    [ -3.9894],
                    [ -3.6367],
                    [ -3.0762],
                    [ -2.4928],
                    [ -2.4512],
                    [ -2.1695],
                    [ -2.0062],
                    [ -1.7060],
                    [  0.1909],
                    [  0.5915],
                    [  0.9467],
                    [  1.3453],
                    [  1.4359],
                    [  2.0752],
                    [  2.4723],
                    [  2.5368],
                    [  2.7189],
                    [  2.7902],
                    [  2.8337],
                    [  3.2249],
                    [  3.7238],
                    [  3.8636],
                    [  3.9170],
                    [  3.9852],
                    [  5.0601],
                    [  5.7496],
                    [  6.0569],
                    [  7.0621],
                    [  7.2674],
                    [  7.6805],
                    [  7.9669],
                    [  8.4266],
                    [  9.6044],
                    [  9.6791],
                    [ 10.7418],
                    [ 12.6324],
                    [ 18.9507]], grad_fn=<MmBackward0>)""";

    private static final String SEED_000_COLUMN_SMALL = """
            tensor([[-2.6509],
                    [-3.6075],
                    [-3.5596],
                    [-3.1381],
                    [-3.3609],
                    [-3.4499],
                    [-3.2561],
                    [-3.2889],
                    [-3.2011],
                    [-3.1503],
                    [-2.7970],
                    [-2.5058],
                    [-2.3969],
                    [-1.9746],
                    [-1.7134],
                    [-1.6971],
                    [-1.4055],
                    [-1.5425],
                    [-1.4787],
                    [-0.5325],
                    [-0.5519],
                    [-0.4983],
                    [-0.5579],
                    [-0.4252],
                    [-0.3783],
                    [-0.3975],
                    [-0.4601],
                    [-0.3162],
                    [-0.2366],
                    [-0.1835],
                    [-0.1374],
                    [-0.1168],
                    [-0.1915],
                    [-0.2164],
                    [-0.1212],
                    [-0.0441],
                    [-0.0724],
                    [-0.0834],
                    [-0.0505],
                    [-0.0193],
                    [ 0.1136],
                    [ 0.1171],
                    [ 0.1026],
                    [ 0.2901],
                    [ 0.2309],
                    [ 0.7120],
                    [ 0.7832],
                    [ 0.8135],
                    [ 0.7912],
                    [ 0.7812],
                    [ 0.8180],
                    [ 0.9363],
                    [ 0.9441],
                    [ 1.0259],
                    [ 1.0002],
                    [ 1.0770],
                    [ 1.4815],
                    [ 1.3693],
                    [ 1.3779],
                    [ 1.4225],
                    [ 1.6098],
                    [ 1.5941],
                    [ 1.7537],
                    [ 2.0001],
                    [ 2.0957],
                    [ 2.3735],
                    [ 2.6115],
                    [ 2.6187],
                    [ 2.7009],
                    [ 2.7603],
                    [ 2.8919],
                    [ 3.7759],
                    [ 3.9732],
                    [ 4.0655],
                    [ 4.2620],
                    [ 4.2635],
                    [ 4.4946],
                    [ 4.6567],
                    [ 4.6651],
                    [ 4.7379],
                    [ 4.7674],
                    [ 4.6795],
                    [ 4.8486],
                    [ 5.0364],
                    [ 5.0838],
                    [ 5.0771],
                    [ 5.0922],
                    [ 5.5662],
                    [ 5.8656],
                    [ 5.8907],
                    [ 6.3554],
                    [ 6.4389],
                    [ 6.4179],
                    [ 6.2463],
                    [ 6.2930],
                    [ 6.6489],
                    [ 6.0923],
                    [ 6.1693],
                    [ 6.9698],
                    [ 9.9439]], grad_fn=<MmBackward0>)""";
}

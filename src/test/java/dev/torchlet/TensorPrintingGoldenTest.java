package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Tensor.toString against repr(tensor) as real PyTorch printed it (src/test/resources/golden/printing.txt,
 * written by tools/golden/printing.py, whose docstring gives the format): every dtype, 0-d to 4-d and empty
 * shapes, int and scientific modes, nan/inf/-0, summarization, line widths, precisions, forced sci_mode and
 * the autograd suffixes.
 */
class TensorPrintingGoldenTest {
    @AfterEach
    void restoreOptions() {
        PrintOptions.set(PrintOptions.DEFAULT);
    }

    @TestFactory
    Stream<DynamicTest> printsAsPyTorch() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                TensorPrintingGoldenTest.class.getResourceAsStream("/golden/printing.txt"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String header = line;
                String values = in.readLine();
                StringBuilder repr = new StringBuilder();
                for (String r = in.readLine(); !r.equals("end"); r = in.readLine()) {
                    repr.append(repr.length() == 0 ? "" : "\n").append(r);
                }
                String expected = repr.toString();
                tests.add(DynamicTest.dynamicTest(tests.size() + ": " + header, () -> check(header, values, expected)));
            }
        }
        assertTrue(tests.size() > 500, "golden cases: " + tests.size());
        return tests.stream();
    }

    private static void check(String header, String valuesLine, String expected) {
        String[] h = header.split(" ");
        DType dtype = DType.valueOf(h[1].toUpperCase());
        long[] shape = h[2].equals("-") ? new long[0] : Arrays.stream(h[2].split(",")).mapToLong(Long::parseLong).toArray();
        String[] o = h[3].split(",");
        Boolean sciMode = o[4].equals("None") ? null : Boolean.valueOf(o[4]);
        String autograd = h[4];
        String[] v = valuesLine.trim().equals("values") ? new String[0] : valuesLine.substring("values ".length()).split(" ");
        Tensor leaf = build(dtype, v).reshape(shape);
        if (!autograd.equals("none")) leaf.requiresGrad_();
        Tensor printed = autograd.equals("mul") ? leaf.mul(2.0) : leaf;
        try {
            Torch.setPrintOptions(Integer.parseInt(o[0]), Integer.parseInt(o[1]), Integer.parseInt(o[2]),
                    Integer.parseInt(o[3]), sciMode);
            assertEquals(expected, printed.toString(), header);
        } finally {
            PrintOptions.set(PrintOptions.DEFAULT);
        }
    }

    private static Tensor build(DType dtype, String[] v) {
        switch (dtype) {
            case FLOAT32: {
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) d[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(v[i], 16));
                return Torch.tensor(d, DType.FLOAT32);
            }
            case FLOAT64: {
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) d[i] = Double.longBitsToDouble(Long.parseUnsignedLong(v[i], 16));
                return Torch.tensor(d, DType.FLOAT64);
            }
            case INT64:
                return Torch.tensor(Arrays.stream(v).mapToLong(Long::parseLong).toArray());
            case BOOL: {
                boolean[] b = new boolean[v.length];
                for (int i = 0; i < v.length; i++) b[i] = v[i].equals("1");
                return Torch.tensor(b);
            }
            default:
                throw new IllegalArgumentException("dtype " + dtype);
        }
    }
}

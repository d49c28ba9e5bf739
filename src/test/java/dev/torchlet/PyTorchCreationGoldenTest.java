package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * torch.linspace and torch.arange, bit for bit against values real PyTorch produced on CPU
 * (src/test/resources/golden/creation.txt, written by tools/golden/creation.py), on both backends.
 */
class PyTorchCreationGoldenTest {
    @AfterEach
    void restoreBackend() { Torch.setCpuBackend("native"); }

    static Stream<String> cases() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                PyTorchCreationGoldenTest.class.getResourceAsStream("/golden/creation.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) if (!line.startsWith("#")) lines.add(line);
        }
        return lines.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void native_(String line) { check(line, "native"); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reference(String line) { check(line, "reference"); }

    static void check(String line, String backend) {
        Torch.setCpuBackend(backend);
        String[] sides = line.split(" : ", -1);
        String[] args = sides[0].split(" ");
        DType dtype = DType.valueOf(args[1].toUpperCase());
        double a = Double.parseDouble(args[2]), b = Double.parseDouble(args[3]);
        Tensor t = args[0].equals("linspace")
                ? Torch.linspace(a, b, Long.parseLong(args[4]), dtype)
                : Torch.arange(a, b, Double.parseDouble(args[4]), dtype);
        assertEquals(sides[1].trim(), bits(t), line.substring(0, Math.min(line.length(), 60)));
    }

    static String bits(Tensor t) {
        StringBuilder sb = new StringBuilder();
        switch (t.dtype()) {
            case FLOAT32:
                for (float v : t.toFloatArray()) sb.append(String.format("%08x ", Float.floatToRawIntBits(v)));
                break;
            case FLOAT64:
                for (double v : t.toDoubleArray()) sb.append(String.format("%016x ", Double.doubleToRawLongBits(v)));
                break;
            default:
                for (long v : t.toLongArray()) sb.append(v).append(' ');
        }
        return sb.toString().trim();
    }
}

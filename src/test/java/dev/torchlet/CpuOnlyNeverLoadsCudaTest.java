package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.nn.Linear;
import dev.torchlet.nn.Module;
import dev.torchlet.optim.SGD;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CPU-only program never loads CUDA: in a child JVM, a training step on the CPU (creation, matmul, backward,
 * an optimizer step, printing, saving) leaves no CUDA library in the process's memory map; asking
 * {@code Torch.cuda().isAvailable()} afterwards then loads torchlet's CUDA library where the build has one,
 * which shows the map check sees it.
 */
class CpuOnlyNeverLoadsCudaTest {
    @TempDir Path dir;

    /** The child program: prints the CUDA libraries mapped after CPU work, then after isAvailable(). */
    public static final class Program {
        /**
         * Entry point of the child JVM.
         * @param args the path to save a state dict to
         * @throws IOException when /proc/self/maps cannot be read
         */
        public static void main(String[] args) throws IOException {
            Torch.manualSeed(1);
            Module net = new Linear(3, 2);
            SGD opt = new SGD(net.parameters(), 0.1, 0.9);
            Tensor loss = net.forward(Torch.randn(4, 3)).sub(Torch.randn(4, 2)).pow(2).mean();
            loss.backward();
            opt.step();
            System.out.println("loss " + loss);
            Torch.save(net.stateDict(), Path.of(args[0]));
            System.out.println("cpu-only: " + cudaMapped());
            System.out.println("available: " + Torch.cuda().isAvailable());
            System.out.println("after asking: " + cudaMapped());
        }

        static List<String> cudaMapped() throws IOException {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .filter(f -> f.contains("torchlet_cuda") || f.contains("libcuda.") || f.contains("libcudart")
                            || f.contains("libcublas"))
                    .map(f -> Path.of(f).getFileName().toString()).distinct().sorted().collect(Collectors.toList());
        }
    }

    @Test void aCpuTrainingStepLoadsNoCudaLibrary() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("cache"),
                Program.class.getName(), dir.resolve("net.safetensors").toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        List<String> lines = Arrays.asList(out.split("\n"));
        assertTrue(lines.contains("cpu-only: []"), out);
        if (CudaTest.cudaNativesBuilt()) {
            String after = lines.stream().filter(l -> l.startsWith("after asking: ")).findFirst().orElse("");
            assertTrue(after.contains("libtorchlet_cuda.so") && after.contains("libjnitorchlet_cuda.so"), out);
        }
    }
}

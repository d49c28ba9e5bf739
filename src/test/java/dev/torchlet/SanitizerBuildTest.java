package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The sanitizer run (tools/sanitize/run, Maven profile sanitize) tests what it means to: this JVM has the
 * AddressSanitizer runtime loaded and took libtorchlet and its JNI library from the sanitized build directory,
 * not from a normal build or a jar in the local repository. Runs only there (the profile sets the property).
 */
class SanitizerBuildTest {
    @Test void theJvmRunsTheSanitizedNatives() throws IOException {
        String nativeDir = System.getProperty("torchlet.sanitize.nativeDir");
        assumeTrue(nativeDir != null, "only in the sanitizer run");
        Torch.ones(3).add(1).close(); // loads the natives
        List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(line -> line.replaceFirst("^(\\S+\\s+){5}", "").trim()).filter(p -> p.startsWith("/"))
                .distinct().collect(Collectors.toList());
        Path expected = Path.of(nativeDir).toRealPath();
        for (String lib : List.of("libtorchlet.so", "libjnitorchlet.so")) {
            List<String> paths = mapped.stream().filter(p -> Path.of(p).getFileName().toString().equals(lib))
                    .collect(Collectors.toList());
            assertEquals(List.of(expected.resolve(lib).toString()), paths, lib + " mapped from");
        }
        assertTrue(mapped.stream().anyMatch(p -> p.contains("libasan.so")), "libasan is not loaded: " + mapped);
        assertTrue(mapped.stream().anyMatch(p -> p.contains("libubsan.so")), "libubsan is not loaded: " + mapped);
    }
}

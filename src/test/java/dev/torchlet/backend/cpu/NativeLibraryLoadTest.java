package dev.torchlet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native library that cannot load says which jar or library is missing, or what the host lacks, and how
 * to go on: checked in child JVMs whose class path lacks torchlet's or OpenBLAS's natives, or that claim
 * another platform, and on the CPU-feature check directly (this machine has the features).
 */
class NativeLibraryLoadTest {
    @TempDir Path dir;

    /** A program that creates a tensor twice and prints what each attempt threw. */
    public static final class Probe {
        /**
         * Entry point of the child JVM.
         * @param args unused
         */
        public static void main(String[] args) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                try {
                    dev.torchlet.Torch.zeros(2);
                    System.out.println("attempt " + attempt + ": loaded");
                } catch (Throwable t) {
                    StringBuilder chain = new StringBuilder();
                    for (Throwable c = t; c != null; c = c.getCause()) chain.append(c).append(" | ");
                    System.out.println("attempt " + attempt + ": " + chain);
                }
            }
        }
    }

    @Test void anotherPlatformIsNamedBeforeAnythingLoads() {
        String why = NativeCpu.unsupportedHost("linux-arm64", Set.of());
        assertTrue(why.startsWith("the native library is built for linux-x86_64 only, and this is linux-arm64 ("),
                why);
    }

    @Test void missingCpuFeaturesAreNamed() {
        Set<String> flags = new HashSet<>(NativeCpu.X86_64_V2);
        flags.add("avx2");
        assertNull(NativeCpu.unsupportedHost("linux-x86_64", flags));
        flags.remove("sse4_2");
        flags.remove("popcnt");
        assertEquals("this CPU lacks popcnt, sse4_2, which the native library needs (it is compiled for x86-64-v2: "
                + "SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT, CMPXCHG16B, LAHF; every x86-64 CPU since about 2009 has them)",
                NativeCpu.unsupportedHost("linux-x86_64", flags));
        assertNull(NativeCpu.unsupportedHost("linux-x86_64", Set.of()), "unknown flags are not judged");
    }

    @Test void thisMachinesFlagsAreReadAndSufficient() {
        Set<String> flags = NativeCpu.cpuFlags();
        assertTrue(flags.containsAll(NativeCpu.X86_64_V2), "flags read from /proc/cpuinfo: " + flags);
        assertNull(NativeCpu.unsupportedHost(NativeCpu.PLATFORM, flags));
    }

    @Test void withoutTorchletsNativesTheMessageNamesItsJar() throws Exception {
        List<String> out = probe(classPath(true, false));
        assertTrue(out.get(0).startsWith("attempt 1: java.lang.UnsatisfiedLinkError: torchlet: cannot load torchlet's "
                + "native library (dev.torchlet:torchlet with the linux-x86_64 classifier). Put "
                + "dev.torchlet:torchlet-platform on the classpath: it brings both. Or run on the pure-Java backend "
                + "(slower) with -Dtorchlet.backend=reference."), out.get(0));
        // a class whose initializer failed stays failed; the JVM keeps the first error as the cause
        assertTrue(out.get(1).contains("NoClassDefFoundError") && out.get(1).contains("torchlet: cannot load torchlet's "
                + "native library"), out.get(1));
    }

    @Test void withoutOpenBlasNativesTheMessageNamesOpenBlas() throws Exception {
        List<String> out = probe(classPath(false, true));
        assertTrue(out.get(0).startsWith("attempt 1: java.lang.UnsatisfiedLinkError: torchlet: cannot load OpenBLAS's "
                + "native library (org.bytedeco:openblas with the linux-x86_64 classifier)."), out.get(0));
    }

    @Test void theAdvisedFallbackRunsWithoutAnyNatives() throws Exception {
        assertEquals(List.of("attempt 1: loaded", "attempt 2: loaded"),
                probe(classPath(true, true), "-Dtorchlet.backend=reference"));
    }

    @Test void anotherPlatformGetsTheMessageInAChildJvm() throws Exception {
        List<String> out = probe(classPath(false, false), "-Dorg.bytedeco.javacpp.platform=linux-arm64");
        assertTrue(out.get(0).startsWith("attempt 1: java.lang.UnsatisfiedLinkError: torchlet: the native library is "
                + "built for linux-x86_64 only, and this is linux-arm64"), out.get(0));
    }

    @Test void theFullClassPathLoads() throws Exception {
        assertEquals(List.of("attempt 1: loaded", "attempt 2: loaded"), probe(classPath(false, false)));
    }

    /**
     * This test's class path, as a child JVM gets it: torchlet's classes copied without their native folder
     * when withoutTorchletNatives, and OpenBLAS's natives jar left out when withoutOpenBlasNatives.
     */
    private String classPath(boolean withoutTorchletNatives, boolean withoutOpenBlasNatives) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            boolean openBlasNatives = p.getFileName().toString().matches("openblas-.*-linux-x86_64\\.jar");
            if (withoutOpenBlasNatives && openBlasNatives) continue;
            if (withoutTorchletNatives && Files.isDirectory(p) && p.endsWith("classes")) {
                Path copy = dir.resolve("classes");
                try (Stream<Path> files = Files.walk(p)) {
                    for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                        if (p.relativize(f).toString().contains(NativeCpu.PLATFORM)) continue;
                        Path to = copy.resolve(p.relativize(f).toString());
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                p = copy;
            }
            entries.add(p.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The lines the Probe prints in a child JVM with its own, empty JavaCPP cache. */
    private List<String> probe(String classPath, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("cache")));
        cmd.addAll(Arrays.asList(jvmOptions));
        cmd.add(Probe.class.getName());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        return Arrays.stream(out.split("\n")).filter(l -> l.startsWith("attempt")).collect(Collectors.toList());
    }
}

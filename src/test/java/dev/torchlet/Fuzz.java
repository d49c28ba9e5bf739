package dev.torchlet;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded case loop of the property-based tests ({@code *FuzzTest}). Case i of a run has the seed
 * {@code base + i}; everything a case does is drawn from a {@link SplittableRandom} of that seed, so the seed
 * alone replays it.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code torchlet.fuzz.cases}: the cases of the fuzz tests together (default 100,000); each test runs its
 *       share of them, at least one.
 *   <li>{@code torchlet.fuzz.base}: the seed of case 0 (default {@value #DEFAULT_BASE}), to explore other cases.
 *   <li>{@code torchlet.fuzz.seed}: replay the one case of that seed, printing what it does.
 * </ul>
 * A failing case's message gives its seed, the command that replays it and what the case did. Should the JVM
 * die in a case, {@code target/fuzz/<test>.seed} names the seed of the case that was running.
 */
final class Fuzz {
    static final long DEFAULT_BASE = 20250611;
    static final int TOTAL_CASES = Integer.getInteger("torchlet.fuzz.cases", 100_000);
    static final long BASE = Long.getLong("torchlet.fuzz.base", DEFAULT_BASE);
    static final Long REPLAY = Long.getLong("torchlet.fuzz.seed");
    private static final int MAX_REPORTED = 5;

    private Fuzz() {}

    /** What a case did, line by line: the failure message and a replay print it. */
    static final class Log {
        private final List<String> lines = new ArrayList<>();
        private final boolean echo;

        Log(boolean echo) { this.echo = echo; }

        void add(String line) {
            lines.add(line);
            if (echo) System.out.println("  " + line);
        }

        @Override public String toString() { return "  " + String.join("\n  ", lines); }
    }

    /** One case: draws from random, writes what it does to log, throws on a failed property. */
    interface Body {
        void run(SplittableRandom random, Log log) throws Exception;
    }

    /**
     * Runs share (a fraction of {@code torchlet.fuzz.cases}) of cases of body, each in its own scope, or only
     * the replayed one; fails with up to five failing cases, each with its seed and replay command.
     */
    static void run(Class<?> test, double share, Body body) {
        String name = test.getSimpleName();
        if (REPLAY != null) {
            System.out.println(name + ": replaying seed " + REPLAY);
            String failure = runCase(name, REPLAY, body, new Log(true));
            if (failure != null) fail(failure);
            return;
        }
        int cases = Math.max(1, (int) Math.round(TOTAL_CASES * share));
        List<String> failures = new ArrayList<>();
        int failed = 0;
        long start = System.nanoTime();
        try (SeedFile running = new SeedFile(name)) {
            for (int i = 0; i < cases; i++) {
                long seed = BASE + i;
                running.write(seed);
                String failure = runCase(name, seed, body, new Log(false));
                if (failure != null && failed++ < MAX_REPORTED) failures.add(failure);
            }
        }
        System.out.printf("%s: %d cases (seeds %d..%d) in %.1f s, %d failed%n", name, cases, BASE, BASE + cases - 1,
                (System.nanoTime() - start) / 1e9, failed);
        if (failed > 0) {
            fail(failed + " of " + cases + " cases failed; the first " + failures.size() + ":\n\n"
                    + String.join("\n\n", failures));
        }
    }

    /** Null when the case holds, else its failure report. */
    private static String runCase(String name, long seed, Body body, Log log) {
        try (Scope scope = Torch.scope()) {
            body.run(new SplittableRandom(seed), log);
            return null;
        } catch (Exception | AssertionError e) {
            StringWriter trace = new StringWriter();
            if (!(e instanceof AssertionError)) e.printStackTrace(new PrintWriter(trace));
            return name + " seed " + seed + ": " + e + "\n" + trace
                    + "replay: mvn -B test -Dtest=" + name + " -Dsurefire.failIfNoSpecifiedTests=false "
                    + "-Dtorchlet.fuzz.seed=" + seed + "\n" + "the case:\n" + log;
        }
    }

    /** target/fuzz/NAME.seed, memory-mapped: the running case's seed survives a crash of the JVM. */
    private static final class SeedFile implements AutoCloseable {
        private static final int WIDTH = 24;
        private final MappedByteBuffer buffer;

        SeedFile(String name) {
            try {
                Path path = Files.createDirectories(Path.of("target", "fuzz")).resolve(name + ".seed");
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, WIDTH);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void write(long seed) {
            byte[] text = String.format("%-" + (WIDTH - 1) + "d\n", seed).getBytes(StandardCharsets.US_ASCII);
            buffer.put(0, text);
        }

        @Override public void close() {
            buffer.put(0, String.format("%-" + (WIDTH - 1) + "s\n", "finished").getBytes(StandardCharsets.US_ASCII));
        }
    }
}

package dev.torchlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a test class's main in a fresh JVM on this test run's class path, for settings fixed at JVM start. */
final class ChildJvm {
    /**
     * What the child did.
     * @param exitCode its exit status
     * @param output its stdout and stderr, interleaved
     */
    record Result(int exitCode, String output) {}

    private final Class<?> main;
    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final Thread reader;

    private ChildJvm(Class<?> main, List<String> command) {
        this.main = main;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Read as it comes: a child blocked on a full pipe would never exit.
        reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        reader.start();
    }

    /** Starts main's main(args) with the given JVM options; it runs while the caller goes on. */
    static ChildJvm start(Class<?> main, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(main, command);
    }

    /** Starts main and waits for it; fails the test past timeoutSeconds. */
    static Result run(Class<?> main, List<String> jvmOptions, long timeoutSeconds, String... args) {
        return start(main, jvmOptions, args).await(timeoutSeconds);
    }

    /** Waits for the child to exit; kills it and fails the test past timeoutSeconds. */
    Result await(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill();
                throw new AssertionError(main.getSimpleName() + " did not finish in " + timeoutSeconds + " s");
            }
            reader.join();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new Result(process.exitValue(), output.toString());
    }

    /** Ends the child if it still runs. */
    void kill() { process.destroyForcibly(); }
}

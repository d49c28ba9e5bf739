package dev.torchlet.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mpi process group on one machine: {@link MpiCheck} scenarios under {@code mpirun --oversubscribe},
 * loopback only. Skipped where Open MPI is not installed, except when TORCHLET_REQUIRE_MPI=1 (CI), where a
 * missing mpirun fails.
 */
public class DistributedTest {
    record Job(int exitCode, String output, double seconds) {}

    @BeforeAll
    static void needMpirun() {
        boolean found = System.getenv("PATH") != null && List.of(System.getenv("PATH").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "mpirun")));
        if ("1".equals(System.getenv("TORCHLET_REQUIRE_MPI"))) {
            assertTrue(found, "TORCHLET_REQUIRE_MPI=1 but no mpirun on the PATH (apt-get install openmpi-bin)");
        }
        Assumptions.assumeTrue(found, "Open MPI's mpirun is not installed");
    }

    /** Runs MpiCheck with args on np processes; kills the job past timeoutSeconds and fails. */
    static Job mpirun(int np, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mpirun", "--oversubscribe", "-np", String.valueOf(np),
                "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), MpiCheck.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("OMPI_ALLOW_RUN_AS_ROOT", "1"); // CI containers run as root
        env.put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        long start = System.nanoTime();
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append(e);
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(5000);
            throw new AssertionError("mpirun " + String.join(" ", args) + " hung past " + timeoutSeconds + " s:\n" + out);
        }
        reader.join();
        return new Job(p.exitValue(), out.toString(), (System.nanoTime() - start) / 1e9);
    }

    static void assertOk(Job job, int np, String line) {
        assertEquals(0, job.exitCode(), job.output());
        for (int r = 0; r < np; r++) {
            String expected = line.replace("R", String.valueOf(r));
            assertTrue(job.output().contains(expected), "no \"" + expected + "\" in:\n" + job.output());
        }
    }

    @Test
    void collectivesOnTwoProcesses() throws Exception {
        assertOk(mpirun(2, 120, "collectives"), 2, "rank R of 2: collectives ok");
    }

    @Test
    void collectivesOnFourProcesses() throws Exception {
        assertOk(mpirun(4, 180, "collectives"), 4, "rank R of 4: collectives ok");
    }

    @Test
    void ddpOnTwoAndFourProcessesMatchesOneProcessOnTheWholeBatch() throws Exception {
        for (int np : new int[] {2, 4}) {
            Job job = mpirun(np, 180, "ddp", "20");
            assertEquals(0, job.exitCode(), job.output());
            assertTrue(job.output().contains("ddp: " + np + " processes, 20 steps"), job.output());
        }
    }

    @Test
    void anExceptionInOneRankEndsTheJob() throws Exception {
        Job job = mpirun(2, 120, "throw");
        assertNotEquals(0, job.exitCode(), job.output());
        assertTrue(job.output().contains("rank 1 fails on purpose"), job.output());
        assertTrue(!job.output().contains("got past"), job.output());
    }

    @Test
    void aKilledRankEndsTheJob() throws Exception {
        Job job = mpirun(2, 120, "kill");
        assertNotEquals(0, job.exitCode(), job.output());
        assertTrue(job.output().contains("signal 9") || job.output().contains("Killed"), job.output());
        assertTrue(!job.output().contains("got past"), job.output());
    }

    @Test
    void aCollectiveThatAPeerNeverJoinsTimesOut() throws Exception {
        Job job = mpirun(2, 120, "timeout");
        assertNotEquals(0, job.exitCode(), job.output());
        assertTrue(job.output().contains("rank 0 caught: all_reduce timed out after 1.0 s on rank 0 of 2 waiting for the "
                + "other ranks"), job.output());
        assertTrue(job.output().contains("rank 0 then: barrier: the process group is broken"), job.output());
        assertTrue(job.seconds() < 19, "the job ended " + job.seconds() + " s after it started, not at the timeout");
    }

    @Test
    void torchrunsEnvironmentWithoutMpirunIsRefused() {
        var e = assertThrows(IllegalStateException.class,
                () -> Distributed.checkLauncher(Map.of("WORLD_SIZE", "4", "RANK", "0", "MASTER_ADDR", "localhost")));
        assertTrue(e.getMessage().contains("mpirun -np 4"), e.getMessage());
        Distributed.checkLauncher(Map.of("WORLD_SIZE", "1"));
        Distributed.checkLauncher(Map.of("WORLD_SIZE", "4", "OMPI_COMM_WORLD_SIZE", "4"));
    }

    @Test
    void otherBackendsAreRefused() {
        assertEquals("Invalid backend: 'gloo2'",
                assertThrows(IllegalArgumentException.class, () -> Distributed.initProcessGroup("gloo2")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Distributed.initProcessGroup("nccl"));
        assertEquals("Default process group has not been initialized, please make sure to call init_process_group.",
                assertThrows(IllegalStateException.class, Distributed::rank).getMessage());
    }
}

package dev.torchlet.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Without Open MPI, initProcessGroup("mpi") says what to install; another library is refused by name. */
public class MpiLibraryTest {
    @AfterEach
    void restore() { System.clearProperty("torchlet.mpiLibrary"); }

    @Test
    void aMissingLibraryNamesThePackagesToInstall() {
        System.setProperty("torchlet.mpiLibrary", "libmpi-not-installed.so.40");
        String message = assertThrows(IllegalStateException.class, () -> Distributed.initProcessGroup("mpi")).getMessage();
        assertTrue(message.startsWith("torchlet: the mpi backend needs Open MPI's library libmpi-not-installed.so.40, "
                + "which cannot be loaded (libmpi-not-installed.so.40: cannot open shared object file"), message);
        assertTrue(message.contains("apt-get install openmpi-bin libopenmpi3"), message);
        assertFalse(Distributed.isInitialized());
    }

    @Test
    void aLibraryThatIsNotMpiIsRefused() {
        System.setProperty("torchlet.mpiLibrary", "libm.so.6");
        assertEquals("torchlet: libm.so.6 is not Open MPI's library (the library has no MPI_Initialized: not MPI): the "
                + "mpi backend needs Open MPI 3.0 or later",
                assertThrows(IllegalStateException.class, () -> Distributed.initProcessGroup("mpi")).getMessage());
        assertFalse(Distributed.isInitialized());
    }
}

package dev.torchlet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.torchlet.backend.cuda.CudaBackend;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AccuracyTest's every case (each op, dtype, shape and layout, with its tolerance) on CUDA device 0 against the
 * reference backend. Each case is skipped, with the reason, where no CUDA device can be used (an assumption
 * in a BeforeAll would hide the whole class from the test report instead).
 */
class CudaAccuracyTest {
    static Stream<Arguments> cases() { return AccuracyTest.cases(); }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void cudaMatchesReference(AccuracyTest.Op op, DType dtype, long[][] shapes, AccuracyTest.Layout layout) {
        assumeTrue(Torch.cuda().isAvailable(), CudaTest::skipReason);
        AccuracyTest.check(CudaBackend.of(0), op, dtype, shapes, layout);
    }
}

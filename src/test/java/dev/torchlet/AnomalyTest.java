package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Torch.detectAnomaly: NaN gradients raise PyTorch's error, naming the node and carrying the forward call. */
class AnomalyTest {
    @AfterEach void off() { Torch.detectAnomaly(false); }

    /** The exception backward raises for loss under anomaly detection. */
    private static IllegalStateException backwardError(Tensor loss) {
        return assertThrows(IllegalStateException.class, loss::backward);
    }

    /** The forward call an anomaly error carries: its first frame is the op, and testMethod called it. */
    private static void assertForwardCall(Throwable e, String node, String op, String testMethod) {
        Throwable cause = e.getCause();
        assertInstanceOf(AnomalyMode.ForwardCall.class, cause);
        assertEquals("Error detected in " + node + ". Traceback of forward call that caused the error:", cause.getMessage());
        StackTraceElement[] trace = cause.getStackTrace();
        assertEquals(Tensor.class.getName() + "." + op, trace[0].getClassName() + "." + trace[0].getMethodName());
        assertTrue(Arrays.stream(trace).anyMatch(f -> f.getClassName().equals(AnomalyTest.class.getName())
                && f.getMethodName().equals(testMethod)), Arrays.toString(trace));
    }

    @Test void sqrtAtZeroTimesZero() {
        Tensor x = Torch.tensor(0f, 4f).requiresGrad_(true);
        try (var anomaly = Torch.detectAnomaly()) {
            assertTrue(Torch.isAnomalyEnabled());
            Tensor y = x.sqrt().mul(0).sum(); // forward is finite: [0, 0]; d sqrt(x)/dx at 0 is 0 / 0
            IllegalStateException e = backwardError(y);
            assertEquals("Function 'SqrtBackward0' returned nan values in its 0th output.", e.getMessage());
            assertForwardCall(e, "SqrtBackward0", "sqrt", "sqrtAtZeroTimesZero");
            assertNull(x.grad()); // raised before the gradient reached the leaf
        }
        assertFalse(Torch.isAnomalyEnabled());
    }

    @Test void divisionOfZeroByItselfNamesTheDivisorsOutput() {
        Tensor x = Torch.tensor(0f).requiresGrad_(true);
        Torch.detectAnomaly(true); // as a plain call, like torch.autograd.set_detect_anomaly(True)
        Tensor y = x.div(x); // d/dself = 1/0 = inf (output 0), d/dother = -0/0 = nan (output 1)
        IllegalStateException e = backwardError(y);
        assertEquals("Function 'DivBackward0' returned nan values in its 1th output.", e.getMessage());
        assertForwardCall(e, "DivBackward0", "div", "divisionOfZeroByItselfNamesTheDivisorsOutput");
    }

    @Test void logOfANegativeReachesTheOtherFactor() {
        Tensor x = Torch.tensor(-1f, 2f).requiresGrad_(true);
        Tensor w = Torch.tensor(3f, 5f).requiresGrad_(true);
        try (var anomaly = Torch.detectAnomaly(true)) {
            Tensor y = x.log().mul(w).sum(); // LogBackward0 is finite (w / x); MulBackward0's grad for w is log(x)
            IllegalStateException e = backwardError(y);
            assertEquals("Function 'MulBackward0' returned nan values in its 1th output.", e.getMessage());
            assertForwardCall(e, "MulBackward0", "mul", "logOfANegativeReachesTheOtherFactor");
        }
    }

    @Test void offRaisesNothingAndRecordsNothing() {
        assertFalse(Torch.isAnomalyEnabled());
        Tensor x = Torch.tensor(0f, 4f).requiresGrad_(true);
        Tensor y = x.sqrt().mul(0).sum();
        assertNull(y.gradFn().forwardCall);
        y.backward();
        assertTrue(Double.isNaN(x.grad().toFloatArray()[0]));
        assertEquals(0f, x.grad().toFloatArray()[1]);
    }

    @Test void anomalyOnlyDuringBackwardStillRaises() {
        Tensor x = Torch.tensor(0f).requiresGrad_(true);
        Tensor y = x.sqrt().mul(0);
        try (var anomaly = Torch.detectAnomaly()) {
            IllegalStateException e = backwardError(y);
            assertEquals("Function 'SqrtBackward0' returned nan values in its 0th output.", e.getMessage());
            assertNull(e.getCause()); // the forward ran without anomaly detection: no call recorded
        }
    }

    @Test void otherBackwardErrorsCarryTheForwardCall() {
        Tensor x = Torch.tensor(1f, 2f).requiresGrad_(true);
        try (var anomaly = Torch.detectAnomaly()) {
            Tensor e = x.exp();
            Tensor y = e.mul(e).sum();
            e.add_(1); // in place on a tensor MulBackward0 saved
            IllegalStateException err = backwardError(y);
            assertTrue(err.getMessage().endsWith("Hint: the backtrace further above shows the operation that failed to "
                    + "compute its gradient. The variable in question was changed in there or anywhere later. Good luck!"),
                    err.getMessage());
            assertForwardCall(err, "MulBackward0", "mul", "otherBackwardErrorsCarryTheForwardCall");
        }
    }

    @Test void guardsRestoreThePreviousMode() {
        try (var outer = Torch.detectAnomaly(true)) {
            try (var inner = Torch.detectAnomaly(false)) {
                assertFalse(Torch.isAnomalyEnabled());
            }
            assertTrue(Torch.isAnomalyEnabled());
        }
        assertFalse(Torch.isAnomalyEnabled());
    }

    /** A clean training run gives the same bits with anomaly detection on. */
    @Test void cleanGraphsTrainTheSameWithAnomalyDetection() {
        long[] off = DeterminismTest.trainMlp(new Generator().manualSeed(3), 20, 64, 8, 32, 4);
        long[] on;
        try (var anomaly = Torch.detectAnomaly()) {
            on = DeterminismTest.trainMlp(new Generator().manualSeed(3), 20, 64, 8, 32, 4);
        }
        assertArrayEquals(off, on);
    }
}

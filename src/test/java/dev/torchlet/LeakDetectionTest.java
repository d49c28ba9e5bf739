package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.backend.LeakDetector;
import dev.torchlet.backend.LeakReport;
import dev.torchlet.nn.Linear;
import dev.torchlet.nn.MSELoss;
import dev.torchlet.nn.Module;
import dev.torchlet.optim.Optimizer;
import dev.torchlet.optim.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leak detection switch: allocation sites in the report, at scope exit, and when the collector reclaims. */
class LeakDetectionTest {
    @BeforeEach void on() {
        MemoryTest.inUse(); // earlier tests' garbage is freed before sites are recorded
        Torch.setLeakDetection(true);
    }

    @AfterEach void off() { Torch.setLeakDetection(false); }

    /** The entries of the report whose innermost frame is in this class. */
    private static List<LeakReport.Entry> ours() {
        return Torch.leakReport().entries().stream()
                .filter(e -> !e.site().frames().isEmpty()
                        && e.site().frames().get(0).getClassName().equals(LeakDetectionTest.class.getName()))
                .toList();
    }

    /** The line number of the caller's call to here. */
    private static int line() { return new Throwable().getStackTrace()[1].getLineNumber(); }

    /** What runnable printed on stderr. */
    private static String stderrOf(Runnable runnable) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            runnable.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString();
    }

    @Test void aLeakedTensorIsReportedWithThisMethodAsItsSite() {
        Tensor leaked = Torch.ones(2, 3); int site = line();
        Tensor closed = Torch.zeros(5);
        closed.close();

        List<LeakReport.Entry> entries = ours();
        assertEquals(1, entries.size(), Torch.leakReport().toString());
        LeakReport.Entry e = entries.get(0);
        assertEquals(1, e.count());
        assertEquals(2 * 3 * 4, e.bytes());
        assertEquals("Tensor of shape [2, 3] and dtype torch.float32", e.site().tensor());
        assertEquals(Thread.currentThread().getName(), e.site().thread());
        StackTraceElement top = e.site().frames().get(0);
        assertEquals("aLeakedTensorIsReportedWithThisMethodAsItsSite", top.getMethodName());
        assertEquals(site, top.getLineNumber());
        assertTrue(Torch.leakReport().toString().contains("1 live (24 bytes): Tensor of shape [2, 3] and dtype "
                + "torch.float32 allocated on thread \"" + Thread.currentThread().getName() + "\" at:\n\tat "
                + top), Torch.leakReport().toString());

        leaked.close();
        assertTrue(Torch.leakReport().isEmpty(), Torch.leakReport().toString());
    }

    /** A site is where (the frames), on which thread, and what (dtype and shape): equal sites are counted together. */
    @Test void storagesAreGroupedBySiteWithCountsAndBytes() {
        Tensor[] live = new Tensor[3];
        int site = 0;
        for (int i = 0; i < 3; i++) {
            live[i] = Torch.ones(4); site = line();
        }
        Tensor view = live[0].view(2, 2); // a view shares its base's storage: not a second allocation
        Tensor other = Torch.ones(new long[] {3}, DType.INT64); int otherSite = line();

        List<LeakReport.Entry> entries = ours();
        assertEquals(2, entries.size(), Torch.leakReport().toString());
        assertEquals(site, entries.get(0).site().frames().get(0).getLineNumber()); // the most bytes first
        assertEquals(3, entries.get(0).count());
        assertEquals(3 * 16, entries.get(0).bytes());
        assertEquals("Tensor of shape [4] and dtype torch.float32", entries.get(0).site().tensor());
        assertEquals(otherSite, entries.get(1).site().frames().get(0).getLineNumber());
        assertEquals(24, entries.get(1).bytes());
        assertEquals("Tensor of shape [3] and dtype torch.int64", entries.get(1).site().tensor());

        for (Tensor t : live) t.close();
        LeakReport.Entry viewed = ours().get(1); // the view still holds the first storage (16 bytes, behind other's 24)
        assertEquals(site, viewed.site().frames().get(0).getLineNumber());
        assertEquals(1, viewed.count());
        assertEquals(16, viewed.bytes());
        view.close();
        other.close();
        assertTrue(Torch.leakReport().isEmpty(), Torch.leakReport().toString());
    }

    @Test void aScopeWarnsAboutTensorsThatEscapedIt() {
        Tensor w = Torch.ones(3).requiresGrad_(true);
        int[] site = new int[1];
        Tensor[] kept = new Tensor[1];
        String warned = stderrOf(() -> {
            try (Scope scope = Torch.scope()) {
                Tensor x = Torch.full(new long[] {3}, 2.0); site[0] = line();
                kept[0] = scope.keep(x.mul(w).sum()); // mul saves x for w's gradient: x's storage escapes
            }
        });
        assertTrue(warned.startsWith("LEAK: 1 storage (12 bytes) of tensors allocated in a Torch.scope() "
                + "outlived it"), warned);
        assertTrue(warned.contains("Tensor of shape [3] and dtype torch.float32 allocated on thread \""
                + Thread.currentThread().getName() + "\" at:\n\tat " + LeakDetectionTest.class.getName()
                + ".lambda$aScopeWarnsAboutTensorsThatEscapedIt$"), warned);
        assertTrue(warned.contains("(LeakDetectionTest.java:" + site[0] + ")"), warned);
        assertEquals(1, count(warned, "LEAK"), warned);

        kept[0].backward(); // frees what the graph saved
        assertEquals(6.0, w.grad().sum().item());
        kept[0].close();
        w.close();
    }

    @Test void aScopeWarnsAboutNothingWhenNothingEscapes() {
        Tensor w = Torch.ones(3).requiresGrad_(true);
        Tensor outer = Torch.ones(4);
        Tensor[] kept = new Tensor[2];
        String warned = stderrOf(() -> {
            try (Scope scope = Torch.scope()) {
                outer.view(2, 2); // closed by the scope, its storage still outer's: allocated before the scope
                Tensor x = Torch.full(new long[] {3}, 2.0);
                Tensor loss = x.mul(w).sum();
                kept[0] = scope.keep(loss.detach()); // shares the loss's storage, without its graph
                kept[1] = scope.keep(x.view(3, 1)); // keeps x's storage: not an escape
                loss.backward(); // the gradient is w's own: not an escape either
            }
        });
        assertEquals("", warned);
        assertEquals(6.0, kept[0].item());
        for (Tensor t : kept) t.close();
        outer.close();
        w.close();
    }

    @Test void aTensorTheCollectorReclaimsIsReportedOncePerSite() {
        int[] site = new int[1];
        String reported = stderrOf(() -> {
            for (int i = 0; i < 3; i++) {
                Torch.ones(7); site[0] = line(); // dropped without close()
            }
            Torch.ones(9).close(); // closed: never reported
            MemoryTest.inUse(); // collects, and frees what the collector found
        });
        assertTrue(reported.startsWith("LEAK: Tensor.close() was not called before the tensor was garbage-collected "
                + "(28 bytes;"), reported);
        assertTrue(reported.contains("Tensor of shape [7] and dtype torch.float32 allocated on thread \""
                + Thread.currentThread().getName() + "\" at:\n\tat " + LeakDetectionTest.class.getName()
                + ".lambda$aTensorTheCollectorReclaimsIsReportedOncePerSite$"), reported);
        assertTrue(reported.contains("(LeakDetectionTest.java:" + site[0] + ")"), reported);
        assertEquals(1, count(reported, "LEAK"), reported);
        assertTrue(ours().isEmpty(), Torch.leakReport().toString());
    }

    /** Gradients and optimizer state are torchlet's to drop: a scoped training loop reports no leak. */
    @Test void aScopedTrainingLoopReportsNothing() {
        Module model = new Linear(4, 2);
        Optimizer optimizer = new SGD(model.parameters(), 0.1, 0.9);
        MSELoss lossFn = new MSELoss();
        String reported = stderrOf(() -> {
            for (int step = 0; step < 5; step++) {
                try (Scope scope = Torch.scope()) {
                    Tensor loss = lossFn.forward(model.forward(Torch.randn(8, 4)), Torch.zeros(8, 2));
                    optimizer.zeroGrad(); // drops the last step's gradients to the collector
                    loss.backward();
                    optimizer.step();
                }
            }
            MemoryTest.inUse();
        });
        assertEquals("", reported);
    }

    @Test void turningItOffStopsRecordingAndReporting() {
        Tensor[] recorded = {Torch.ones(11)}; // recorded while on, dropped once off
        Torch.setLeakDetection(false);
        assertFalse(Torch.isLeakDetectionEnabled());
        assertFalse(LeakDetector.isEnabled());
        long untracked = Torch.leakReport().untrackedCount();
        Tensor w = Torch.ones(3).requiresGrad_(true);
        String reported = stderrOf(() -> {
            Tensor off = Torch.ones(5);
            assertEquals(List.of("Tensor of shape [11] and dtype torch.float32"), // recorded while on
                    ours().stream().map(e -> e.site().tensor()).toList());
            assertEquals(untracked + 2, Torch.leakReport().untrackedCount()); // w and off, counted without a site
            try (Scope scope = Torch.scope()) {
                scope.keep(Torch.full(new long[] {3}, 2.0).mul(w).sum()); // would escape, as above
            }
            Torch.ones(6); // dropped
            recorded[0] = null;
            MemoryTest.inUse();
            off.close();
        });
        assertEquals("", reported);
        w.close();
        Torch.setLeakDetection(true);
        assertTrue(Torch.isLeakDetectionEnabled());
    }

    /** -Dtorchlet.leakDetection=true turns it on at start: the child reports the tensor its main leaks. */
    @Test void theSystemPropertyTurnsItOn() {
        ChildJvm.Result on = ChildJvm.run(LeakDetectionTest.class, List.of("-Dtorchlet.leakDetection=true"), 120);
        assertEquals(0, on.exitCode(), on.output());
        assertTrue(on.output().contains("enabled true\ntorchlet leak report: 1 live storage (40 bytes) from 1 "
                + "allocation site\n1 live (40 bytes): Tensor of shape [10] and dtype torch.float32 allocated on "
                + "thread \"main\" at:\n\tat dev.torchlet.LeakDetectionTest.main(LeakDetectionTest.java:"), on.output());
        ChildJvm.Result off = ChildJvm.run(LeakDetectionTest.class, List.of(), 120);
        assertEquals(0, off.exitCode(), off.output());
        assertTrue(off.output().contains("enabled false\ntorchlet leak report: 0 live storages (0 bytes) from 0 "
                + "allocation sites, and 1 (40 bytes) allocated while leak detection was off"), off.output());
    }

    /** The child of {@link #theSystemPropertyTurnsItOn}: leaks one tensor and prints the report. */
    public static void main(String[] args) {
        Tensor leaked = Torch.ones(10);
        System.out.println("enabled " + Torch.isLeakDetectionEnabled() + "\n" + Torch.leakReport());
        leaked.close();
    }

    private static int count(String s, String word) {
        Matcher m = Pattern.compile(word).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}

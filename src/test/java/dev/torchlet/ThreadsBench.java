package dev.torchlet;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Not a unit test: a main that measures the threading workloads against baselines in the same process
 * (medians). W5: [4096, 4096] + [4096] with 1 and 2 threads against a STREAM-style add (c = a + b over
 * float[] of 16M, one half per thread). W7: bmm [64, 128, 128] x [64, 128, 128] against 64 raw
 * cblas_sgemm calls (OpenBLAS's own threads) into preallocated buffers.
 */
public final class ThreadsBench {
    interface Work { void run(); }

    static double medianMs(int reps, Work w) {
        for (int i = 0; i < 3; i++) w.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int cores = Torch.getNumThreads();
        System.out.println("default threads: " + cores);
        Tensor x = Torch.randn(4096, 4096), row = Torch.randn(4096);
        int n = 4096 * 4096;
        float[] a = x.toFloatArray(), b = x.toFloatArray(), c = new float[n];
        Work stream = () -> IntStream.range(0, 2).parallel().forEach(h -> {
            for (int i = h * (n / 2), e = i + n / 2; i < e; i++) c[i] = a[i] + b[i];
        });
        for (int round = 0; round < 2; round++) {
            double s2 = medianMs(reps, stream);
            Torch.setNumThreads(1);
            double t1 = medianMs(reps, () -> x.add(row).close());
            Torch.setNumThreads(2);
            double t2 = medianMs(reps, () -> x.add(row).close());
            double full2 = medianMs(reps, () -> x.add(x).close());
            System.out.printf("W5 [4096,4096]+[4096]: 1 thread %.2f ms, 2 threads %.2f ms (x%.2f); STREAM add 2 threads"
                    + " %.2f ms: ratio %.2f; [4096,4096]+[4096,4096] 2 threads %.2f ms%n", t1, t2, t1 / t2, s2, s2 / t2, full2);
        }
        Torch.setNumThreads(cores);
        Tensor p = Torch.randn(64, 128, 128), q = Torch.randn(64, 128, 128);
        FloatPointer pa = new FloatPointer(p.toFloatArray()), pb = new FloatPointer(q.toFloatArray());
        FloatPointer pc = new FloatPointer(64L * 128 * 128);
        int m = 128, mm = m * m;
        Work raw = () -> {
            for (int i = 0; i < 64; i++)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, m, m, 1f, pa.position((long) i * mm), m,
                        pb.position((long) i * mm), m, 0f, pc.position((long) i * mm), m);
        };
        for (int round = 0; round < 2; round++) {
            double r = medianMs(reps * 4, raw);
            double t = medianMs(reps * 4, () -> p.bmm(q).close());
            Torch.setNumThreads(1);
            double t1 = medianMs(reps * 4, () -> p.bmm(q).close());
            Torch.setNumThreads(cores);
            System.out.printf("W7 bmm [64,128,128]^2: %.3f ms (%d threads), %.3f ms (1 thread); 64 raw cblas_sgemm %.3f ms:"
                    + " ratio %.2f%n", t, cores, t1, r, r / t);
        }
    }
}

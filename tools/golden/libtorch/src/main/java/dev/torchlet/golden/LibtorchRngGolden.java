package dev.torchlet.golden;

import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.createCPUGenerator;
import static org.bytedeco.pytorch.global.torch.dropout;
import static org.bytedeco.pytorch.global.torch.empty;
import static org.bytedeco.pytorch.global.torch.getDefaultCPUGenerator;
import static org.bytedeco.pytorch.global.torch.get_cpu_capability;
import static org.bytedeco.pytorch.global.torch.hasMKL;
import static org.bytedeco.pytorch.global.torch.manual_seed;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.rand;
import static org.bytedeco.pytorch.global.torch.randint;
import static org.bytedeco.pytorch.global.torch.randn;
import static org.bytedeco.pytorch.global.torch.randperm;
import static org.bytedeco.pytorch.global.torch.show_config;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Writes src/test/resources/golden/rng-libtorch.txt: exact outputs of real libtorch's CPU random stream
 * (JavaCPP's {@code org.bytedeco:pytorch}, the libtorch C++ library and its C++ frontend), which
 * torchlet's GeneratorGoldenTest checks bit for bit. Not part of torchlet's build (its own Maven
 * project, not a module of the root pom), so the ordinary build and test run never download libtorch.
 * Rerun by hand from the repository root:
 *
 * <pre>
 * mvn -q -B -f tools/golden/libtorch/pom.xml -Dmaven.repo.local=/work/m2-libtorch compile exec:java \
 *     -Dorg.bytedeco.javacpp.cachedir=/work/m2-libtorch/javacpp-cache
 * </pre>
 *
 * Any Maven repository and JavaCPP cache will do. The first run downloads about 90 MB (libtorch, in
 * pytorch-2.13.0-1.5.14-linux-x86_64.jar) and unpacks 350 MB into the cache; twice, the JVM crashed
 * (SIGSEGV in libtorch_cpu.so's initialization) on a run that was unpacking into a fresh cache, and the
 * next run worked. {@code -Dexec.args=FILE} writes elsewhere; the environment variable
 * ATEN_CPU_CAPABILITY (default, avx2, avx512) picks libtorch's kernels. A run takes about 45 s, 30 of
 * them for the two 1.7 GB randperm cases.
 *
 * <p>The committed file was written with org.bytedeco:pytorch 2.13.0-1.5.14 (the newest on Maven
 * Central), that is libtorch 2.13.0 as the JavaCPP presets build it: GCC 11.4, {@code -O2}, OpenBLAS
 * (BLAS_INFO=open), no MKL ({@code at::hasMKL()} false), OpenMP, on an Intel Xeon with AVX-512, where
 * {@code at::get_cpu_capability()} is AVX512. Rerun with ATEN_CPU_CAPABILITY=avx2 it writes the same
 * cases, bit for bit (the x86-64 AVX2 path that PyTorch takes on any AVX2 machine); with
 * ATEN_CPU_CAPABILITY=default (no vectorized kernels, no fused multiply-adds) 727 of the 3,406 cases
 * change: float32 randn/normal_ of 16 or more values, float64 normals, uniform_ and Linear init. The
 * file's header lines (starting with #) record the version, configuration, CPU and command of each run.
 * The OpenBLAS preset that pytorch 2.13.0-1.5.14 names (0.3.34-1.5.14) is not on Maven Central, so the
 * pom puts 0.3.31-1.5.13 in its place (JavaCPP warns of the version mismatch; BLAS plays no part here).
 *
 * <p>The ops and the line format are those of tools/golden/rng.py (see its docstring), with more sha256
 * ops; in libtorch terms:
 *
 * <pre>
 *     rand DT N                 torch::rand({N}, gen, dtype)
 *     randn DT N                torch::randn({N}, gen, dtype)
 *     uniform DT N A B          torch::empty({N}, dtype).uniform_(A, B, gen)
 *     normal DT N MEAN STD      torch::empty({N}, dtype).normal_(MEAN, STD, gen)
 *     randint N LOW HIGH        torch::randint(LOW, HIGH, {N}, gen)                  (int64)
 *     randperm N                torch::randperm(N, gen)                              (int64)
 *     bernoulli N P             torch::empty({N}).bernoulli_(P, gen)                 (float32 0/1)
 *     dropout N P               torch::dropout(torch::ones({N}), P, true)            (float32)
 *     linear IN OUT             torch::nn::Linear(IN, OUT): weight [OUT, IN] row-major, then bias
 *     state, save, restore, initialseed, sha256 OP ARGS   as in rng.py; sha256 also takes
 *                               randint, bernoulli and linear
 * </pre>
 *
 * The generator gen is the default one after {@code torch::manual_seed(SEED)} (SEED's 64 bits; the file
 * writes seeds from -2^32 to -1 negative and the others as unsigned 64-bit values), or a fresh
 * {@code at::detail::createCPUGenerator()} for SEED "new". dropout and linear use the default generator.
 *
 * <p>The cases: rand and randn, float32 and float64, of every size 0..100 and 127, 128, 255, 256 (seeds 0
 * and 42), with hashes of 1000, 1024, 4099 and 65541; 14 more seeds (1, 7, 2^32 + 7, the default seed,
 * 2^63 - 1, -2^63, -1, ...) and a fresh generator at 15 sizes from 0 to 100 (below 16, multiples of 16
 * and not); uniform_ over 9 ranges and normal_ with 7 (mean, std) at sizes 1 to 100; sequences that
 * carry the normal cache and stream position from op to op, with get_state/set_state; Linear init for
 * 11 (in, out) pairs and 6 seeds, and (784, 10), (784, 128), (100, 100), (5, 1000); randint over 18
 * ranges (negative lows, spans either side of 2^28 and 2^32, the full int64 range); randperm of every n
 * 0..100 and 1000, and hashes up to 300000 and either side of 214748364; bernoulli_ for 7 p (0, 1, 1e-9
 * among them) and dropout for 7 p, sizes 0 to 5000. 3,406 cases, 66 seeds.
 */
public final class LibtorchRngGolden {
    private LibtorchRngGolden() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden/rng-libtorch.txt");
        List<String> lines = new ArrayList<>();
        header(lines);
        cases(lines);
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (String l : lines) w.write(l + "\n");
        }
        System.err.println("wrote " + (lines.size()) + " lines to " + out.toAbsolutePath().normalize());
    }

    // ------------------------------------------------------------------------------------------ header

    static void header(List<String> out) throws IOException {
        String config = show_config().getString();
        String version = field(config, "TORCH_VERSION=");
        out.add("# libtorch " + version + " (org.bytedeco:pytorch " + pkgVersion() + "), generated by "
                + "tools/golden/libtorch (dev.torchlet.golden.LibtorchRngGolden); line format: tools/golden/rng.py");
        out.add("# cpu capability " + get_cpu_capability().getString() + ", MKL " + (hasMKL() ? "on" : "off")
                + ", BLAS_INFO=" + field(config, "BLAS_INFO=") + ", " + firstLine(config, "GCC")
                + ", CPU " + cpu() + ", ATEN_CPU_CAPABILITY=" + System.getenv().getOrDefault("ATEN_CPU_CAPABILITY", "(unset)"));
        out.add("# regenerate: mvn -q -B -f tools/golden/libtorch/pom.xml -Dmaven.repo.local=/work/m2-libtorch compile "
                + "exec:java -Dorg.bytedeco.javacpp.cachedir=/work/m2-libtorch/javacpp-cache");
        out.add("# ATEN_CPU_CAPABILITY=avx2 writes the same file (checked with 2.13.0); =default changes 727 cases "
                + "(no fused multiply-adds, no vectorized normal)");
    }

    static String pkgVersion() {
        Package p = Tensor.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v != null ? v : "2.13.0-1.5.14";
    }

    static String field(String config, String key) {
        int at = config.indexOf(key);
        if (at < 0) return "?";
        int end = at + key.length();
        while (end < config.length() && config.charAt(end) != ',' && config.charAt(end) != '\n') end++;
        return config.substring(at + key.length(), end).trim();
    }

    static String firstLine(String config, String word) {
        for (String l : config.split("\n")) if (l.contains(word)) return l.replace("-", "").trim();
        return "?";
    }

    static String cpu() throws IOException {
        String model = "?", vendor = "?";
        for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (l.startsWith("model name") && model.equals("?")) model = l.substring(l.indexOf(':') + 1).trim();
            if (l.startsWith("vendor_id") && vendor.equals("?")) vendor = l.substring(l.indexOf(':') + 1).trim();
        }
        return model + " (" + vendor + ")";
    }

    // ------------------------------------------------------------------------------------------- cases

    static final long[] EDGE_SEEDS = {1, 7, 12345, 202150754, (1L << 32) + 7, 67280421310721L, Long.MAX_VALUE,
            Long.MIN_VALUE + 12345, -1, -123456789, Long.MIN_VALUE, 4294967295L, 2147483648L};

    static void cases(List<String> out) {
        int[] sizes = new int[101 + 4];
        for (int n = 0; n <= 100; n++) sizes[n] = n;
        sizes[101] = 127;
        sizes[102] = 128;
        sizes[103] = 255;
        sizes[104] = 256;
        int[] few = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 48, 63, 100};
        int[] large = {1000, 1024, 4099, 65536 + 5};

        // rand / randn, every size 0..100 and some larger, float32 and float64
        for (long seed : new long[] {0, 42}) {
            for (String dt : new String[] {"f32", "f64"}) {
                for (int n : sizes) {
                    out.add(run(seed, "rand " + dt + " " + n));
                    out.add(run(seed, "randn " + dt + " " + n));
                }
                for (int n : large) {
                    out.add(run(seed, "sha256 rand " + dt + " " + n, "rand f32 1"));
                    out.add(run(seed, "sha256 randn " + dt + " " + n, "rand f32 1"));
                }
            }
        }
        // many seeds, fewer sizes
        List<Object> seeds = new ArrayList<>();
        for (long s : EDGE_SEEDS) seeds.add(s);
        seeds.add("new");
        for (Object seed : seeds) {
            for (String dt : new String[] {"f32", "f64"}) {
                for (int n : few) {
                    out.add(runAny(seed, "rand " + dt + " " + n));
                    out.add(runAny(seed, "randn " + dt + " " + n));
                }
                out.add(runAny(seed, "sha256 randn " + dt + " 4099", "rand f32 1"));
            }
            out.add(runAny(seed, "initialseed", "state"));
            out.add(runAny(seed, "randperm 20", "randint 5 0 10", "state"));
        }
        for (long seed = 100; seed < 140; seed++) {
            out.add(run(seed, "randn f32 1", "randn f32 18", "randn f64 3", "randn f64 17", "rand f64 2", "state"));
        }

        // uniform_(a, b) and normal_(mean, std): the affine step (fused multiply-add or not) shows here
        double[][] bounds = {{-1.0, 1.0}, {-0.5773502691896258, 0.5773502691896258}, {2.5, 7.25}, {-100.0, 1e-3},
                {0.1, 0.2}, {-3.0, -3.0}, {-1e30, 1e30}, {1e-8, 3e-8}, {-7.0, 1e6}};
        double[][] normals = {{0.0, 1.0}, {2.0, 0.5}, {-1.5, 3.25}, {0.1, 0.01}, {5.0, 0.0}, {-1e4, 1e-3}, {3.0, 1e5}};
        for (long seed : new long[] {0, 3, 202150754, -5}) {
            for (String dt : new String[] {"f32", "f64"}) {
                for (double[] b : bounds) {
                    for (int n : new int[] {1, 5, 16, 64, 100}) {
                        out.add(run(seed, "uniform " + dt + " " + n + " " + num(b[0]) + " " + num(b[1])));
                    }
                }
                for (double[] m : normals) {
                    for (int n : new int[] {1, 3, 15, 16, 17, 32, 33, 50, 100}) {
                        out.add(run(seed, "normal " + dt + " " + n + " " + num(m[0]) + " " + num(m[1])));
                    }
                }
            }
        }

        // sequences from one seed: the double normal cache and the stream position carry across calls
        out.add(run(42, "randn f32 3", "randn f32 20", "rand f32 5", "randn f64 7", "normal f32 5 2.0 0.5",
                "randint 10 0 100", "randn f32 1", "state"));
        out.add(run(1, "randn f64 3", "normal f64 3 5.0 2.0", "normal f32 1 -1.0 4.0", "randn f32 16",
                "randn f32 1", "state"));
        out.add(run(202150754, "randn f32 100", "rand f32 3", "randn f32 5", "randn f64 33", "randn f32 2", "state"));
        out.add(run(7, "randn f32 1", "state", "randperm 5", "randn f32 1", "state", "randn f32 1", "state"));
        out.add(run(0, "randint 3 0 10", "rand f64 2", "bernoulli 4 0.5", "randn f32 17", "uniform f32 3 -2.0 2.0",
                "linear 3 2", "randn f32 1", "state"));
        out.add(run(11, "randn f64 1", "randn f32 16", "randn f64 1", "randn f64 1", "state"));
        out.add(run(12, "randn f32 5", "normal f64 20 1.0 2.0", "randn f32 1", "state"));

        // get_state / set_state round trips (with and without a cached normal)
        out.add(run(5, "randn f32 3", "save", "randn f32 5", "restore", "randn f32 5", "state"));
        out.add(run(5, "randn f32 4", "save", "rand f64 7", "restore", "rand f64 7", "state"));
        out.add(run(9, "randn f64 1", "save", "randn f64 1", "randn f64 1", "restore", "randn f64 2"));
        out.add(run(9, "rand f32 700", "save", "randn f32 19", "restore", "randn f32 19", "state"));
        out.add(runAny("new", "randn f64 5", "save", "randn f32 3", "restore", "randn f32 3", "state"));
        for (long[] sn : new long[][] {{0, 0}, {0, 1}, {0, 623}, {0, 624}, {1, 625}, {42, 1000}, {42, 1247}, {42, 1248}}) {
            out.add(run(sn[0], "rand f32 " + sn[1], "state"));
        }

        // nn.Linear(in, out) init: kaiming_uniform_(a=sqrt(5)) on the weight, then uniform_ on the bias
        int[][] linears = {{1, 1}, {3, 1}, {1, 3}, {2, 2}, {2, 5}, {5, 2}, {10, 5}, {7, 13}, {16, 16}, {33, 4}, {4, 0}};
        for (long seed : new long[] {1, 0, 42, 202150754, 12345, -1}) {
            for (int[] io : linears) out.add(run(seed, "linear " + io[0] + " " + io[1]));
        }
        out.add(run(1, "linear 784 10"));
        for (int[] io : new int[][] {{784, 128}, {100, 100}, {5, 1000}, {3, 7}}) {
            out.add(run(1, "sha256 linear " + io[0] + " " + io[1], "rand f32 1"));
        }
        out.add(run(1, "linear 1 1", "linear 1 1", "linear 3 4"));

        // randint: random() % range below 2^28, random64() % range from 2^28 on (torch 1.13: from 2^32)
        long[][] ranges = {{0, 10}, {-5, 5}, {0, 2}, {1, 7}, {0, 1}, {0, 1000}, {-1000000007, 1000000007},
                {0, (1L << 31)}, {-(1L << 31), (1L << 31)}, {0, (1L << 32) - 1}, {0, 1L << 32}, {0, (1L << 32) + 1},
                {-(1L << 40), 1L << 40}, {5, 1L << 62}, {Long.MIN_VALUE, Long.MAX_VALUE},
                {Long.MAX_VALUE - 10, Long.MAX_VALUE}, {Long.MIN_VALUE, Long.MIN_VALUE + 3}, {-100, -50}};
        for (long seed : new long[] {0, 1, 42, (1L << 40) + 3, -7}) {
            for (long[] r : ranges) out.add(run(seed, "randint 25 " + r[0] + " " + r[1]));
        }
        out.add(run(3, "randint 0 0 10", "randint 1 0 10", "randint 100 -3 3", "sha256 randint 5000 0 1000000",
                "sha256 randint 5000 -9000000000 9000000000", "rand f32 1"));

        // randperm: the 32-bit swap shuffle below 2^32 / 20
        for (long seed : new long[] {0, 1, 42}) {
            for (int n = 0; n <= 100; n++) out.add(run(seed, "randperm " + n, "rand f32 1"));
            out.add(run(seed, "randperm 1000", "rand f32 1"));
        }
        for (long seed : new long[] {3, -3, 202150754}) {
            for (int n : new int[] {4099, 50000, 65536, 65537, 300000}) {
                out.add(run(seed, "sha256 randperm " + n, "rand f32 1"));
            }
        }
        // either side of 214748364 = (2^32 - 1) / 20, where randperm switches to random64() and the
        // inside-out shuffle: 1.7 GB each, so GeneratorGoldenTest checks them only when asked to
        out.add(run(3, "sha256 randperm 214748363", "rand f32 1"));
        out.add(run(3, "sha256 randperm 214748364", "rand f32 1"));

        // large fills, as hashes: the float32 vectorized normal path over millions of values
        out.add(run(0, "sha256 randn f32 1048576", "rand f32 1"));
        out.add(run(1, "sha256 normal f32 1048573 0.3 2.5", "rand f32 1"));
        out.add(run(202150754, "sha256 rand f32 1000000", "sha256 uniform f32 1000000 -0.1 0.7", "sha256 randn f32 999999"));
        out.add(run(5, "sha256 rand f64 100000", "sha256 randn f64 100003", "sha256 normal f64 65536 -2.0 0.25",
                "sha256 uniform f64 100000 -3.0 5.0", "rand f32 1"));

        // bernoulli_(p) with a scalar p, and the CPU dropout that uses it
        double[] ps = {0.5, 0.1, 0.9, 0.0, 1.0, 1.0 / 3, 1e-9};
        for (long seed : new long[] {0, 1, 42, -9}) {
            for (double p : ps) {
                for (int n : new int[] {0, 1, 7, 64, 100}) out.add(run(seed, "bernoulli " + n + " " + num(p), "rand f32 1"));
                out.add(run(seed, "sha256 bernoulli 5000 " + num(p), "rand f32 1"));
            }
            for (double p : new double[] {0.5, 0.2, 0.25, 1.0 / 3, 0.9, 0.0, 1.0}) {
                out.add(run(seed, "dropout 40 " + num(p), "rand f32 1"));
                out.add(run(seed, "dropout 100 " + num(p), "rand f32 1"));
            }
        }
    }

    // -------------------------------------------------------------------------------------------- ops

    /** The state of the last "save". */
    private static Tensor slot;

    static String run(long seed, String... ops) { return runAny(seed, ops); }

    /** Runs the ops on a generator seeded with seed (a Long, or "new"); returns one line. */
    static String runAny(Object seed, String... ops) {
        Generator g;
        String seedText;
        if (seed.equals("new")) {
            g = createCPUGenerator();
            seedText = "new";
        } else {
            long s = (Long) seed;
            manual_seed(s);
            g = getDefaultCPUGenerator();
            // as Python would write it: small negative seeds negative, the rest as unsigned 64-bit values
            seedText = s < 0 && s > -(1L << 32) ? Long.toString(s) : Long.toUnsignedString(s);
        }
        List<String> results = new ArrayList<>();
        for (String op : ops) results.add(op(g, seed, op));
        return seedText + " => " + String.join(" | ", ops) + " => " + String.join(" | ", results);
    }

    static String op(Generator g, Object seed, String op) {
        String[] a = op.split(" ");
        switch (a[0]) {
            case "sha256": return sha256(tensor(g, seed, java.util.Arrays.copyOfRange(a, 1, a.length)));
            case "state": return hex(bytes(g.get_state()));
            case "save": slot = g.get_state().clone(); return "";
            case "restore": g.set_state(slot); return "";
            case "initialseed": return Long.toUnsignedString(g.current_seed());
            default: return text(tensor(g, seed, a));
        }
    }

    /** The tensor an op produces (flattened, contiguous). */
    static Tensor tensor(Generator g, Object seed, String[] a) {
        GeneratorOptional gen = new GeneratorOptional(g);
        switch (a[0]) {
            case "rand": return rand(new long[] {i(a[2])}, gen, dtype(a[1]));
            case "randn": return randn(new long[] {i(a[2])}, gen, dtype(a[1]));
            case "uniform": return empty(new long[] {i(a[2])}, dtype(a[1]), new MemoryFormatOptional()).uniform_(d(a[3]), d(a[4]), gen);
            case "normal": return empty(new long[] {i(a[2])}, dtype(a[1]), new MemoryFormatOptional()).normal_(d(a[3]), d(a[4]), gen);
            case "randint":
                return randint(Long.parseLong(a[2]), Long.parseLong(a[3]), new long[] {i(a[1])}, gen,
                        new TensorOptions(ScalarType.Long));
            case "randperm": return randperm(i(a[1]), gen, new TensorOptions(ScalarType.Long));
            case "bernoulli": return empty(new long[] {i(a[1])}, dtype("f32"), new MemoryFormatOptional()).bernoulli_(d(a[2]), gen);
            case "dropout":
                requireDefault(seed, a);
                return dropout(ones(new long[] {i(a[1])}, dtype("f32")), d(a[2]), true);
            case "linear": {
                requireDefault(seed, a);
                LinearImpl lin = new LinearImpl(i(a[1]), i(a[2]));
                Tensor w = lin.weight().reshape(-1), b = lin.bias().reshape(-1);
                return cat(new TensorVector(w, b), 0).detach();
            }
            default: throw new IllegalArgumentException(String.join(" ", a));
        }
    }

    static void requireDefault(Object seed, String[] a) {
        if (!(seed instanceof Long)) throw new IllegalArgumentException(a[0] + " uses the default generator");
    }

    static TensorOptions dtype(String dt) {
        if (dt.equals("f32")) return new TensorOptions(ScalarType.Float);
        if (dt.equals("f64")) return new TensorOptions(ScalarType.Double);
        throw new IllegalArgumentException(dt);
    }

    /** The elements in the file's format: float32/float64 as hex bits, int64 in decimal. */
    static String text(Tensor t) {
        t = t.contiguous();
        int n = (int) t.numel();
        StringBuilder sb = new StringBuilder();
        String st = t.scalar_type().toString();
        if (st.equals("Float")) {
            float[] v = new float[n];
            if (n > 0) t.data_ptr_float().get(v);
            for (float x : v) sb.append(String.format("%08x ", Float.floatToRawIntBits(x)));
        } else if (st.equals("Double")) {
            double[] v = new double[n];
            if (n > 0) t.data_ptr_double().get(v);
            for (double x : v) sb.append(String.format("%016x ", Double.doubleToRawLongBits(x)));
        } else if (st.equals("Long")) {
            long[] v = new long[n];
            if (n > 0) t.data_ptr_long().get(v);
            for (long x : v) sb.append(x).append(' ');
        } else {
            throw new IllegalArgumentException("dtype " + st);
        }
        return sb.toString().trim();
    }

    /** The tensor's elements as little-endian bytes (numpy's tobytes(); x86-64 is little endian). */
    static byte[] bytes(Tensor t) {
        t = t.contiguous();
        long size = t.numel() * t.element_size();
        byte[] b = new byte[Math.toIntExact(size)];
        if (size > 0) new BytePointer(t.data_ptr()).capacity(size).get(b);
        return b;
    }

    /** SHA-256 (hex) of the tensor's little-endian bytes, read in chunks (tensors of gigabytes too). */
    static String sha256(Tensor t) {
        t = t.contiguous();
        long size = t.numel() * t.element_size();
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (size > 0) {
                BytePointer p = new BytePointer(t.data_ptr()).capacity(size);
                byte[] chunk = new byte[1 << 24];
                for (long at = 0; at < size; at += chunk.length) {
                    int len = (int) Math.min(chunk.length, size - at);
                    p.position(at).get(chunk, 0, len);
                    md.update(chunk, 0, len);
                }
            }
            return hex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(2 * b.length);
        for (byte x : b) sb.append(String.format("%02x", x & 0xFF));
        return sb.toString();
    }

    /** A double as Python's repr writes it in the common cases here (shortest digits that round-trip). */
    static String num(double v) {
        String s = Double.toString(v);
        if (s.contains("E")) {
            // Java writes 1.0E-9 or 1.0E30; Python 1e-09 and 1e+30
            String[] me = s.split("E");
            String m = me[0].endsWith(".0") ? me[0].substring(0, me[0].length() - 2) : me[0];
            int e = Integer.parseInt(me[1]);
            return m + "e" + (e < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(e));
        }
        return s;
    }

    static int i(String s) { return Integer.parseInt(s); }

    static double d(String s) { return Double.parseDouble(s); }
}

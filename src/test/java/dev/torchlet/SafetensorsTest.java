package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.torchlet.backend.NativeStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torch.save / Torch.load in the safetensors format, against files written by the real safetensors library
 * (src/test/resources/safetensors, made by tools/safetensors/make_fixtures.py) in both directions.
 */
class SafetensorsTest {
    @TempDir Path dir;

    static Path resource(String name) {
        try (InputStream in = SafetensorsTest.class.getResourceAsStream("/safetensors/" + name)) {
            Path p = Files.createTempFile("fixture", ".safetensors");
            Files.write(p, in.readAllBytes());
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String resource) {
        try (InputStream in = SafetensorsTest.class.getResourceAsStream("/safetensors/" + resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }

    static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Double.doubleToRawLongBits(v[i]);
        return b;
    }

    static NativeStorage storage(Tensor t) { return (NativeStorage) t.data().storage; }

    // ------------------------------------------------------------------------------- files from Python

    @Test void readsEveryDtypeThatPythonWrote() {
        Path p = resource("dtypes_pt.safetensors");
        Map<String, Tensor> sd = Torch.load(p);
        assertEquals(List.of("i64", "f64", "empty", "f32", "layers.0.weight", "scalar", "i32", "bf16", "f16", "i16",
                "i8", "u8", "bool"), new ArrayList<>(sd.keySet()), "file order (by offset): dtype alignment, then name");

        Tensor f32 = sd.get("f32");
        assertEquals(DType.FLOAT32, f32.dtype());
        assertEquals(Size.of(2, 3), f32.shape());
        assertArrayEquals(bits(new float[] {0f, 1.5f, -2.25f, Float.MAX_VALUE, -0f, Float.MIN_VALUE}), bits(f32.toFloatArray()));

        Tensor f64 = sd.get("f64");
        assertEquals(DType.FLOAT64, f64.dtype());
        assertArrayEquals(bits(new double[] {0.1, -1e300, Double.MIN_VALUE}), bits(f64.toDoubleArray()));

        Tensor i64 = sd.get("i64");
        assertEquals(Size.of(2, 2), i64.shape());
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1}, i64.toLongArray());

        assertEquals(DType.BOOL, sd.get("bool").dtype());
        assertArrayEquals(new boolean[] {true, false, false, true}, sd.get("bool").toBooleanArray());

        // float16 widened exactly: 0.333 is stored as the nearest half, 0x3554 = 1364 * 2^-12 = 0.3330078125
        Tensor f16 = sd.get("f16");
        assertEquals(DType.FLOAT32, f16.dtype());
        float[] h = f16.toFloatArray();
        assertArrayEquals(bits(new float[] {1f, -2f, 0.3330078125f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY}), bits(java.util.Arrays.copyOf(h, 7)));
        assertTrue(Float.isNaN(h[7]));
        assertArrayEquals(bits(new float[] {-0f, 0x1p-14f}), bits(new float[] {h[8], h[9]}));

        float[] bf = sd.get("bf16").toFloatArray(); // bfloat16: the high half of a float32
        assertArrayEquals(bits(new float[] {1f, -3.140625f, 3.3895313892515355e38f, 0x1p-133f}),
                bits(java.util.Arrays.copyOf(bf, 4)));
        assertTrue(Float.isNaN(bf[4]));

        assertEquals(DType.INT64, sd.get("i32").dtype());
        assertArrayEquals(new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 7}, sd.get("i32").toLongArray());
        assertArrayEquals(new long[] {-32768, 32767}, sd.get("i16").toLongArray());
        assertArrayEquals(new long[] {-128, 127, 0}, sd.get("i8").toLongArray());
        assertArrayEquals(new long[] {0, 255, 128}, sd.get("u8").toLongArray());

        assertEquals(0, sd.get("scalar").dim());
        assertEquals(7.5, sd.get("scalar").item());
        assertEquals(Size.of(0, 3), sd.get("empty").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, sd.get("layers.0.weight").toFloatArray());

        assertEquals(Map.of("format", "pt", "source", "make_fixtures.py"), Torch.loadMetadata(p));
        sd.values().forEach(Tensor::close);
    }

    /** Every one of the 65536 float16 and bfloat16 bit patterns, against values derived from IEEE 754 here. */
    @Test void widensEveryHalfAndBfloat16BitPatternExactly() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[65536],\"data_offsets\":[0,131072]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[256,256],\"data_offsets\":[131072,262144]}}";
        byte[] json = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer file = ByteBuffer.allocate(8 + json.length + 262144).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json);
        for (int pass = 0; pass < 2; pass++) for (int i = 0; i < 65536; i++) file.putShort((short) i);
        Path p = Files.write(dir.resolve("halves.safetensors"), file.array());
        Map<String, Tensor> sd = Torch.load(p);
        int[] h = bits(sd.get("h").toFloatArray());
        int[] b = bits(sd.get("b").toFloatArray());
        for (int i = 0; i < 65536; i++) {
            int sign = i >> 15, exp = (i >> 10) & 31, mant = i & 1023;
            int expected;
            if (exp == 31) {
                expected = sign << 31 | 0x7f800000 | mant << 13; // infinities; NaNs keep their payload
            } else {
                float magnitude = exp == 0 ? Math.scalb((float) mant, -24) : Math.scalb((float) (1024 + mant), exp - 25);
                expected = Float.floatToRawIntBits(sign == 1 ? -magnitude : magnitude);
            }
            assertEquals(expected, h[i], "float16 0x" + Integer.toHexString(i));
            assertEquals(i << 16, b[i], "bfloat16 0x" + Integer.toHexString(i));
        }
        assertEquals(Size.of(256, 256), sd.get("b").shape());
    }

    @Test void readsUnsignedTypesThatNumpyWrote() {
        Map<String, Tensor> sd = Torch.load(resource("unsigned_np.safetensors"));
        assertArrayEquals(new long[] {0, 65535}, sd.get("u16").toLongArray());
        assertArrayEquals(new long[] {0, 4294967295L}, sd.get("u32").toLongArray());
        assertEquals(Map.of(), Torch.loadMetadata(resource("unsigned_np.safetensors")));
    }

    @Test void refusesDtypesItHasNoTypeFor() {
        Path p = resource("unsupported_np.safetensors");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Torch.load(p));
        assertEquals("cannot load tensor `u64` of " + p + ": torchlet has no dtype for safetensors dtype U64 (it loads "
                + "F64, F32, F16 and BF16 as float tensors, I64, I32, I16, I8, U8, U16 and U32 as int64, and BOOL)",
                e.getMessage());
        assertEquals(p, e.path());
        assertEquals(Map.of(), Torch.loadMetadata(p), "the header alone is still readable");
    }

    // --------------------------------------------------------------------------------- files for Python

    /** The tensors of reference_pt.safetensors (see make_fixtures.py), built here. */
    static Map<String, Tensor> reference() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("weight", Torch.arange(6).to(DType.FLOAT32).reshape(3, 2).mul(0.5).sub(1));
        sd.put("bias", Torch.tensor(0.25f, -0.125f, 3f));
        sd.put("running_var", Torch.tensor(new double[] {1.0 / 3, 2.0 / 3}, DType.FLOAT64));
        sd.put("num_batches_tracked", Torch.scalarTensor(42L));
        sd.put("mask", Torch.tensor(true, false, true));
        sd.put("ids", Torch.tensor(new long[][] {{1, 2}, {3, -4}}));
        sd.put("emb \u00fc \"q\"\n\t/\u0001\u007f", Torch.tensor(2f));
        sd.put("empty", Torch.zeros(0));
        sd.put("a", Torch.tensor(1f));
        sd.put("B", Torch.tensor(2f));
        sd.put("\u00e9", Torch.tensor(3f));
        sd.put("z", Torch.tensor(4f));
        return sd;
    }

    @Test void writesTheBytesThatPythonWrites() throws IOException {
        Path p = dir.resolve("reference.safetensors");
        Torch.save(reference(), p);
        assertArrayEquals(bytes("reference_pt.safetensors"), Files.readAllBytes(p));
    }

    @Test void writesTheBytesThatPythonWritesOnTheReferenceBackend() throws IOException {
        Torch.setCpuBackend("reference");
        try {
            Path p = dir.resolve("reference.safetensors");
            Torch.save(reference(), p);
            assertArrayEquals(bytes("reference_pt.safetensors"), Files.readAllBytes(p));
            Map<String, Tensor> sd = Torch.load(p);
            assertEquals("reference", Torch.cpuBackend());
            assertEquals(1.0 / 3, sd.get("running_var").toDoubleArray()[0]);
            assertArrayEquals(new boolean[] {true, false, true}, sd.get("mask").toBooleanArray());
        } finally {
            Torch.setCpuBackend("native");
        }
    }

    /**
     * The Rust crate's own test vectors (safetensors/src/tensor.rs, test_serialization and test_empty), which
     * make_fixtures.py also checks against the Python writer. By hand: 64 = the header length (0x40, u64 LE);
     * {"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}} is 64 bytes, already a multiple of 8;
     * then 0f, 1f, 2f, 3f, 4f, 5f as little-endian floats (1f = 0x3f800000: 0, 0, 128, 63).
     */
    @Test void writesTheRustLibrarysTestVectors() throws IOException {
        byte[] expected = {64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121,
            112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44,
            34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0,
            0, 0, 0, 0, (byte) 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, (byte) 128, 64, 0, 0, (byte) 160, 64};
        Path p = dir.resolve("attn.safetensors");
        Torch.save(Map.of("attn.0", Torch.arange(0.0, 6.0, 1.0).reshape(1, 2, 3)), p, Map.of());
        assertArrayEquals(expected, Files.readAllBytes(p));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, Torch.load(p).get("attn.0").toFloatArray());

        // no tensors: "{}" padded with 6 spaces to 8 bytes; with metadata: 35 bytes of JSON padded to 40
        Torch.save(Map.of(), p, Map.of());
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, Files.readAllBytes(p));
        Torch.save(Map.of(), p, Map.of("framework", "pt"));
        byte[] json = "{\"__metadata__\":{\"framework\":\"pt\"}}     ".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN).putLong(40).put(json);
        assertArrayEquals(b.array(), Files.readAllBytes(p));
        assertEquals(Map.of(), Torch.load(p));
        assertEquals(Map.of("framework", "pt"), Torch.loadMetadata(p));
    }

    /**
     * Files for the other direction: tools/safetensors/check_torchlet_files.py loads them with Python's
     * safetensors and PyTorch and checks every value (run it after this test; see tools/safetensors/README.md).
     */
    @Test void writesFilesForThePythonCheck() {
        Path out = Path.of(System.getProperty("torchlet.interopDir", "target/safetensors-interop"));
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("f32", Torch.tensor(new float[][] {{0f, 1.5f, -2.25f}, {Float.MAX_VALUE, -0f, Float.MIN_VALUE}}));
        sd.put("f64", Torch.tensor(new double[] {0.1, -1e300, Double.MIN_VALUE}, DType.FLOAT64));
        sd.put("i64", Torch.tensor(new long[][] {{Long.MIN_VALUE, Long.MAX_VALUE}, {0, -1}}));
        sd.put("bool", Torch.tensor(true, false, false, true));
        sd.put("scalar", Torch.scalarTensor(7.5));
        sd.put("empty", Torch.zeros(0, 3));
        sd.put("transposed", Torch.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}).t());
        sd.put("n\u00e4me \"q\"\n", Torch.tensor(1f));
        Torch.save(sd, out.resolve("torchlet_dtypes.safetensors"));

        dev.torchlet.nn.Linear lin = new dev.torchlet.nn.Linear(3, 2);
        try (var g = Torch.noGrad()) {
            lin.weight().copy_(Torch.tensor(new float[][] {{0.5f, -1f, 2f}, {0.25f, 0f, -0.75f}}));
            lin.bias().copy_(Torch.tensor(0.1f, -0.2f));
        }
        Torch.save(lin.stateDict(), out.resolve("torchlet_linear.safetensors"));
        dev.torchlet.optim.Optimizer opt = new dev.torchlet.optim.Adam(lin.parameters(), 0.01);
        for (int i = 0; i < 2; i++) {
            opt.zeroGrad();
            lin.forward(Torch.tensor(new float[][] {{1, 2, 3}})).sum().backward();
            opt.step();
        }
        Torch.save(opt.stateDict(), out.resolve("torchlet_adam.safetensors"));

        Map<String, Tensor> back = Torch.load(out.resolve("torchlet_dtypes.safetensors"));
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.get("transposed").toFloatArray());
        assertEquals(Map.of("format", "pt"), Torch.loadMetadata(out.resolve("torchlet_linear.safetensors")));
    }

    @Test void roundTripsEveryDtypeAndLayout() {
        Path p = dir.resolve("all.safetensors");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("f32", Torch.randn(3, 4));
        sd.put("f64", Torch.randn(new long[] {2, 5}, DType.FLOAT64));
        sd.put("i64", Torch.randperm(7));
        sd.put("bool", Torch.randn(6).gt(0));
        sd.put("transposed", Torch.randn(3, 5).t());
        sd.put("scalar", Torch.scalarTensor(-1.5));
        sd.put("empty", Torch.zeros(new long[] {2, 0, 3}, DType.INT64));
        sd.put("param", new dev.torchlet.nn.Parameter(Torch.ones(2)));
        Torch.save(sd, p);
        Map<String, Tensor> back = Torch.load(p);
        assertEquals(sd.keySet(), back.keySet());
        for (String name : sd.keySet()) {
            Tensor a = sd.get(name), b = back.get(name);
            assertEquals(a.dtype(), b.dtype(), name);
            assertEquals(a.shape(), b.shape(), name);
            assertTrue(b.isContiguous(), name);
            assertFalse(b.requiresGrad(), name);
            assertArrayEquals(bits(a.toDoubleArray()), bits(b.toDoubleArray()), name);
        }
        assertEquals(Map.of("format", "pt"), Torch.loadMetadata(p));
    }

    @Test void savesCustomMetadataAndRefusesBadNames() {
        Path p = dir.resolve("meta.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "caf\u00e9 \"quoted\"\n");
        Torch.save(Map.of("w", Torch.ones(1)), p, meta);
        assertEquals(meta, Torch.loadMetadata(p));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Torch.save(Map.of("__metadata__", Torch.ones(1)), p));
        assertEquals("\"__metadata__\" cannot name a tensor", e.getMessage());
    }

    // ---------------------------------------------------------------------------------- memory mapping

    @Test void mapsLargeTensorsCopyOnWriteAndUnmapsOnClose() throws IOException {
        Path p = dir.resolve("big.safetensors");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("big", Torch.arange(0.0, 1 << 19, 1.0)); // 2 MiB: mapped
        sd.put("small", Torch.arange(0.0, 100.0, 1.0)); // copied
        Torch.save(sd, p);
        byte[] file = Files.readAllBytes(p);

        long before = MemoryTest.inUse();
        Map<String, Tensor> back = Torch.load(p);
        Tensor big = back.get("big");
        assertTrue(storage(big).isAdopted(), "a tensor of 1 MiB or more is memory-mapped");
        assertFalse(storage(back.get("small")).isAdopted());
        assertEquals(before + (2 << 20) + 400, Torch.memoryStats().bytesInUse(), "mapped bytes count as in use");
        assertEquals(12345.0, big.toFloatArray()[12345]);

        big.add_(1); // copy-on-write: private to this process
        assertEquals(12346.0, big.toFloatArray()[12345]);
        assertArrayEquals(file, Files.readAllBytes(p), "the file never changes");

        big.close();
        back.get("small").close();
        assertEquals(before, MemoryTest.inUse(), "closing the tensor unmapped the file");

        Map<String, Tensor> copied = Torch.load(p, false);
        assertFalse(storage(copied.get("big")).isAdopted(), "mmap=false copies into storage of its own");
        assertEquals(12345.0, copied.get("big").toFloatArray()[12345]);
    }

    @Test void unreachableMappedTensorsAreUnmappedByTheCollector() {
        Path p = dir.resolve("dropped.safetensors");
        Torch.save(Map.of("w", Torch.ones(1 << 20)), p);
        long before = MemoryTest.inUse();
        for (int i = 0; i < 20; i++) assertEquals(1.0, Torch.load(p).get("w").toFloatArray()[i]); // never closed
        assertEquals(before, MemoryTest.inUse(), "the collector found the storages, and their blocks unmapped the file");
    }

    @Test void savingOverAMappedFileLeavesItsTensorsIntact() {
        Path p = dir.resolve("model.safetensors");
        Torch.save(Map.of("w", Torch.full(new long[] {1 << 19}, 1.0)), p);
        Tensor w = Torch.load(p).get("w");
        assertTrue(storage(w).isAdopted());
        Torch.save(Map.of("w", Torch.full(new long[] {1 << 19}, 2.0)), p); // replaced by a rename
        assertEquals((double) (1 << 19), w.sum().item(), "the old mapping still reads the old file");
        assertEquals(2.0 * (1 << 19), Torch.load(p).get("w").sum().item());
    }

    @Test void loadingInAScopeFreesEverythingAtItsEnd() {
        Path p = dir.resolve("scoped.safetensors");
        Torch.save(Map.of("w", Torch.ones(1 << 19), "b", Torch.ones(3)), p);
        long before = MemoryTest.inUse();
        try (var s = Torch.scope()) {
            Map<String, Tensor> sd = Torch.load(p);
            assertTrue(storage(sd.get("w")).isAdopted());
            assertEquals(before + (2 << 20) + 12, Torch.memoryStats().bytesInUse());
        }
        assertEquals(before, Torch.memoryStats().bytesInUse(), "the scope closed the tensors: the file is unmapped");
    }

    // ------------------------------------------------------------------------------------ nested dicts

    @Test void nestedStateDictsRoundTripWithTheirTypes() {
        Path p = dir.resolve("nested.safetensors");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("step", 3L);
        inner.put("exp_avg", Torch.tensor(1f, 2f));
        inner.put("count", 7); // an Integer comes back as a Long
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", 1e-3);
        group.put("eps", 1e-8);
        group.put("nesterov", true);
        group.put("name", "g\u00fcnter \"0\"");
        group.put("none", null);
        group.put("params", List.of(0, 1));
        group.put("nan", Double.NaN);
        group.put("inf", Double.NEGATIVE_INFINITY);
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("state", Map.of("0", inner));
        sd.put("param_groups", List.of(group));
        sd.put("rng_state", new byte[] {0, 1, (byte) 255});
        sd.put("model", Map.of("0.weight", Torch.ones(2, 2)));
        Torch.save(sd, p);

        Map<String, Tensor> flat = Torch.load(p);
        assertEquals(List.of("model.0.weight", "state.0.exp_avg", "rng_state"), new ArrayList<>(flat.keySet()),
                "tensors under their dotted paths; the byte[] as U8, loaded as int64");
        assertArrayEquals(new long[] {0, 1, 255}, flat.get("rng_state").toLongArray());

        Map<String, Object> back = Torch.loadDict(p);
        assertEquals(List.of("state", "param_groups", "rng_state", "model"), new ArrayList<>(back.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> s0 = (Map<String, Object>) ((Map<String, Object>) back.get("state")).get("0");
        assertEquals(3L, s0.get("step"));
        assertEquals(7L, s0.get("count"));
        assertArrayEquals(new float[] {1, 2}, ((Tensor) s0.get("exp_avg")).toFloatArray());
        @SuppressWarnings("unchecked")
        Map<String, Object> g = (Map<String, Object>) ((List<Object>) back.get("param_groups")).get(0);
        assertEquals(1e-3, g.get("lr"));
        assertEquals(1e-8, g.get("eps"));
        assertEquals(true, g.get("nesterov"));
        assertEquals("g\u00fcnter \"0\"", g.get("name"));
        assertTrue(g.containsKey("none"));
        assertEquals(null, g.get("none"));
        assertEquals(List.of(0L, 1L), g.get("params"));
        assertTrue(Double.isNaN((Double) g.get("nan")));
        assertEquals(Double.NEGATIVE_INFINITY, g.get("inf"));
        assertArrayEquals(new byte[] {0, 1, (byte) 255}, (byte[]) back.get("rng_state"));
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) back.get("model");
        assertEquals(List.of("0.weight"), new ArrayList<>(model.keySet()), "a key with dots stays one key");
        assertTrue(Torch.loadMetadata(p).containsKey("torchlet.structure"));

        // a plain file through loadDict: its tensors by name
        Path plain = dir.resolve("plain.safetensors");
        Torch.save(Map.of("w", Torch.ones(1)), plain);
        assertEquals(List.of("w"), new ArrayList<>(Torch.loadDict(plain).keySet()));
    }

    @Test void nestedValuesThatCannotBeStoredAreRefused() {
        Path p = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Torch.save(Map.of("a.b", Torch.ones(1), "a", Map.of("b", Torch.ones(1)), "n", 1), p));
        assertEquals("two values would be stored as tensor `a.b`: a key with dots collides with the dotted path of a "
                + "nested key", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Torch.save(Map.of("x", new Object()), p));
        assertEquals("cannot save a java.lang.Object (at \"x\"): a state dict holds tensors, byte[], numbers, booleans, "
                + "strings, null, and maps and lists of these", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Torch.save(Map.of("s", Map.of(0, 1)), p));
        assertEquals("state dict keys must be strings, but \"s\" has the key 0 of type java.lang.Integer", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Torch.save(Map.of("s", Map.of("__tensor__", 1)), p));
        assertEquals("the keys \"__tensor__\" and \"__bytes__\" are reserved (in \"s\")", e.getMessage());
        assertFalse(Files.exists(p), "nothing is written when saving fails");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file is left behind");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Test void missingFilesAndDirectoriesRaiseUncheckedIOException() {
        assertThrows(UncheckedIOException.class, () -> Torch.load(dir.resolve("absent.safetensors")));
        assertThrows(UncheckedIOException.class, () -> Torch.save(Map.of("w", Torch.ones(1)),
                dir.resolve("no/such/dir/w.safetensors")));
    }

    @Test void loadedTensorsAreIndependentOfEachOther() {
        Path p = dir.resolve("two.safetensors");
        Torch.save(Map.of("a", Torch.ones(1 << 19), "b", Torch.ones(1 << 19)), p);
        Map<String, Tensor> sd = Torch.load(p);
        assertNotSame(sd.get("a").data().storage, sd.get("b").data().storage);
        sd.get("a").close();
        assertEquals((double) (1 << 19), sd.get("b").sum().item(), "closing one unmaps only its own region");
        assertSame(DType.FLOAT32, sd.get("b").dtype());
    }
}

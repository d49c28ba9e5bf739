package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors loader against mutated files: valid files (every dtype the format has, metadata, a nested
 * state dict, a tensor large enough to be memory-mapped) with flipped bytes, rewritten header lengths,
 * truncations, appended bytes, rewritten JSON tokens (numbers, dtype names, keys) and random data bytes.
 * Every load either succeeds, with the same values whether mapped or copied, or raises
 * {@link SafetensorsException}: never another exception, a crash, a native allocation of a declared size, or
 * a mapping left behind.
 *
 * <p>Cases, seeds and replay as for every fuzz test: see {@link Fuzz}.
 */
class SafetensorsFuzzTest {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final long[] INTERESTING = {0, 1, -1, 2, 7, 8, 255, 1L << 31, (1L << 32) + 1, 1L << 40, 1L << 53,
        Long.MAX_VALUE, Long.MIN_VALUE, 100_000_000, 100_000_001};
    private static final String[] TOKENS = {"\"F32\"", "\"F64\"", "\"I64\"", "\"BOOL\"", "\"F16\"", "\"BF16\"",
        "\"U8\"", "\"U64\"", "\"C64\"", "\"F4\"", "\"F8_E4M3\"", "\"X\"", "\"\"", "\"__metadata__\"", "\"dtype\"",
        "\"shape\"", "\"data_offsets\"", "null", "true", "[]", "{}", "[0]", "[[1]]", "1.5", "-0", "1e400",
        "\"\\ud800\"", "\"\\u0000\"", "\"__tensor__\"", "\"torchlet.structure\""};

    @TempDir Path dir;

    /** The valid files the mutations start from. */
    private List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String name : new String[] {"dtypes_pt.safetensors", "reference_pt.safetensors",
            "unsigned_np.safetensors", "unsupported_np.safetensors"}) {
            out.add(SafetensorsTest.bytes(name));
        }
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("w", Torch.arange(0.0, 6.0, 1.0).view(2, 3));
        dict.put("b", Torch.tensor(new double[] {1.5, -2}, DType.FLOAT64));
        dict.put("step", Torch.tensor(3L, 4L));
        dict.put("mask", Torch.tensor(true, false, true));
        dict.put("empty", Torch.zeros(0, 4));
        dict.put("state", Map.of("lr", 0.1, "momentum", List.of(1, 2), "name", "sgd"));
        Path p = dir.resolve("dict.safetensors");
        Torch.save(dict, p, Map.of("format", "pt", "note", "fuzz seed"));
        out.add(Files.readAllBytes(p));
        // above Safetensors.MMAP_MIN_BYTES: the memory-mapped path
        Torch.save(Map.of("big", Torch.ones((Safetensors.MMAP_MIN_BYTES / 4) + 16), "x", Torch.ones(3)), p);
        out.add(Files.readAllBytes(p));
        return out;
    }

    /** This test's part of the fuzz tests' cases ({@link Fuzz}): 6,000 files by default. */
    static final double SHARE = 0.06;

    @Test void mutatedFilesLoadOrRaiseSafetensorsException() throws IOException {
        List<byte[]> seeds = seeds();
        long nativeBefore = MemoryTest.inUse();
        int[] loadedRefused = new int[2];
        Fuzz.run(SafetensorsFuzzTest.class, SHARE, (random, log) -> {
            loadedRefused[loadOrRefuse(random, seeds, log) ? 0 : 1]++;
        });
        int cases = loadedRefused[0] + loadedRefused[1];
        System.out.printf("SafetensorsFuzzTest: %d loaded, %d refused%n", loadedRefused[0], loadedRefused[1]);
        if (cases >= 200) {
            assertTrue(loadedRefused[0] > cases / 20 && loadedRefused[1] > cases / 20, "both outcomes occur");
        }
        assertEquals(nativeBefore, MemoryTest.inUse(), "native memory after every loaded tensor was closed");
        assertEquals(List.of(), mappingsUnder(dir), "no mapping of a fuzzed file is left");
    }

    /**
     * One mutated file through every loading entry point: true when it loaded (the same values mapped and
     * copied, native memory within what the file can decode to), false when SafetensorsException refused it
     * (with little heap allocated); any other outcome fails.
     */
    private boolean loadOrRefuse(SplittableRandom rnd, List<byte[]> seeds, Fuzz.Log log) throws IOException {
        byte[] original = seeds.get(rnd.nextInt(seeds.size()));
        StringBuilder how = new StringBuilder();
        byte[] mutated = mutate(original, rnd, how);
        log.add("file of " + original.length + " bytes: " + how);
        Path p = Files.write(dir.resolve("case.safetensors"), mutated);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heapBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long nativeBefore = Torch.memoryStats().bytesInUse();
        Map<String, Tensor> mapped;
        Map<String, Tensor> copied;
        try {
            Torch.loadMetadata(p);
            mapped = Torch.load(p, true);
            copied = Torch.load(p, false);
        } catch (SafetensorsException e) {
            long heap = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - heapBefore;
            assertTrue(heap < 16L * mutated.length + (8 << 20), "heap bytes " + heap + " allocated to refuse a file of "
                    + mutated.length);
            return false;
        }
        try {
            // int64 widening (from 1-byte types) is the largest growth a loaded file can have
            long grown = Torch.memoryStats().bytesInUse() - nativeBefore;
            assertTrue(grown <= 2 * 8 * (long) mutated.length + 4096, "native bytes " + grown + " for a file of "
                    + mutated.length);
            assertEquals(mapped.keySet(), copied.keySet());
            for (String name : mapped.keySet()) {
                Tensor a = mapped.get(name);
                Tensor b = copied.get(name);
                assertEquals(a.shape(), b.shape(), name);
                assertEquals(a.dtype(), b.dtype(), name);
                assertArrayEquals(a.to(DType.FLOAT64).toDoubleArray(), b.to(DType.FLOAT64).toDoubleArray(), name);
            }
            try {
                Torch.loadDict(p).values().forEach(SafetensorsFuzzTest::close);
            } catch (SafetensorsException e) { // the tensors load, but the structure metadata was mutated
                log.add("loadDict refused: " + e.getMessage());
            }
        } finally {
            mapped.values().forEach(Tensor::close);
            copied.values().forEach(Tensor::close);
        }
        return true;
    }

    private static void close(Object value) {
        if (value instanceof Tensor) ((Tensor) value).close();
        else if (value instanceof Map) ((Map<?, ?>) value).values().forEach(SafetensorsFuzzTest::close);
        else if (value instanceof List) ((List<?>) value).forEach(SafetensorsFuzzTest::close);
    }

    /** One to three mutations of file, each described in how. */
    static byte[] mutate(byte[] file, SplittableRandom rnd, StringBuilder how) {
        byte[] out = file;
        for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
            long headerLength = out.length >= 8 ? ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getLong(0) : -1;
            int headerEnd = headerLength >= 0 && headerLength <= out.length - 8 ? 8 + (int) headerLength : out.length;
            switch (rnd.nextInt(7)) {
                case 0: { // flip bits in the length field or the header
                    if (out.length == 0) break;
                    out = out.clone();
                    int at = rnd.nextInt(Math.min(out.length, headerEnd));
                    out[at] ^= (byte) (1 << rnd.nextInt(8));
                    how.append("flip byte ").append(at).append("; ");
                    break;
                }
                case 6: { // random bytes in the data buffer: every bit pattern of every dtype must decode
                    if (headerEnd >= out.length) break;
                    out = out.clone();
                    for (int k = 1 + rnd.nextInt(32); k > 0; k--) {
                        out[rnd.nextInt(headerEnd, out.length)] = (byte) rnd.nextInt();
                    }
                    how.append("scribble over the data; ");
                    break;
                }
                case 1: { // a new header length
                    long v = rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)]
                            : headerLength + rnd.nextInt(-9, 10);
                    out = Arrays.copyOf(out, Math.max(8, out.length));
                    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
                    how.append("header length ").append(v).append("; ");
                    break;
                }
                case 2: { // truncate anywhere
                    int len = rnd.nextInt(out.length + 1);
                    out = Arrays.copyOf(out, len);
                    how.append("truncate to ").append(len).append("; ");
                    break;
                }
                case 3: { // append bytes
                    int extra = 1 + rnd.nextInt(16);
                    out = Arrays.copyOf(out, out.length + extra);
                    how.append("append ").append(extra).append("; ");
                    break;
                }
                case 4: // rewrite a number of the JSON header, keeping the header length consistent
                    out = rewriteToken(out, headerEnd, NUMBER, rnd, how, true);
                    break;
                default: // rewrite a string (a name, a dtype, a key) of the JSON header
                    out = rewriteToken(out, headerEnd, STRING, rnd, how, false);
            }
        }
        return out;
    }

    private static byte[] rewriteToken(byte[] file, int headerEnd, Pattern token, SplittableRandom rnd,
                                       StringBuilder how, boolean number) {
        if (headerEnd <= 8) return file;
        String header = new String(file, 8, headerEnd - 8, StandardCharsets.ISO_8859_1);
        List<int[]> spans = new ArrayList<>();
        for (Matcher m = token.matcher(header); m.find(); ) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return file;
        int[] s = spans.get(rnd.nextInt(spans.size()));
        String replacement = number && rnd.nextBoolean()
                ? Long.toString(rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)]
                        : parseOrZero(header.substring(s[0], s[1])) + rnd.nextInt(-8, 9))
                : TOKENS[rnd.nextInt(TOKENS.length)];
        how.append("replace ").append(header, s[0], s[1]).append(" at ").append(s[0]).append(" with ")
                .append(replacement).append("; ");
        byte[] h = (header.substring(0, s[0]) + replacement + header.substring(s[1]))
                .getBytes(StandardCharsets.ISO_8859_1);
        return SafetensorsBadFileTest.file(h.length, h, Arrays.copyOfRange(file, headerEnd, file.length));
    }

    private static long parseOrZero(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) { // beyond long: the header holds a number safetensors refuses anyway
            return 0;
        }
    }

    /** The lines of /proc/self/maps that map a file under folder. */
    static List<String> mappingsUnder(Path folder) throws IOException {
        String prefix = folder.toRealPath().toString();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains(prefix)) out.add(line);
        }
        return out;
    }
}

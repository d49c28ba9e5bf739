package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and hostile safetensors files: each gets a SafetensorsException that names the file, the tensor and
 * what is wrong, in the safetensors library's words, before anything of a declared size is allocated.
 */
class SafetensorsBadFileTest {
    @TempDir Path dir;
    private int files;

    /** A file: the header length (u64 little-endian), the header, then data. */
    static byte[] file(long headerLength, byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerLength).put(header).put(data).array();
    }

    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, new byte[dataBytes]);
    }

    Path write(byte[] content) {
        try {
            return Files.write(dir.resolve("f" + files++ + ".safetensors"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loading content fails with "Error while deserializing header of PATH: detail". */
    void fails(String detail, byte[] content) {
        Path p = write(content);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Torch.load(p));
        assertEquals("Error while deserializing header of " + p + ": " + detail, e.getMessage());
        assertEquals(p, e.path());
        assertThrows(SafetensorsException.class, () -> Torch.loadMetadata(p));
    }

    static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test void fileShorterThanTheHeaderLength() {
        fails("header too small: the file has 0 bytes, fewer than the 8 that hold the header length", new byte[0]);
        fails("header too small: the file has 5 bytes, fewer than the 8 that hold the header length", new byte[5]);
    }

    @Test void headerLongerThanTheFile() {
        fails("invalid header length: the file declares a header of 1000 bytes, but only 10 bytes follow the header "
                + "length (the file is truncated, or not a safetensors file)", file(1000, new byte[10], new byte[0]));
    }

    @Test void headerLargerThanSafetensorsAllows() {
        fails("header too large: the file declares a header of 100000001 bytes, more than the 100000000 that "
                + "safetensors allows", file(100_000_001, new byte[0], new byte[0]));
        fails("header too large: the file declares a header of 18446744073709551615 bytes, more than the 100000000 "
                + "that safetensors allows", file(-1, new byte[0], new byte[0]));
    }

    @Test void truncatedDataAndTrailingBytes() {
        String h = "{" + tensor("w", "F32", "[2,3]", 0, 24) + "}";
        fails("incomplete metadata, file not fully covered: the tensors end at byte 24 of the data buffer, but the file "
                + "holds 20 bytes after the header (the file is truncated)", file(h, 20));
        fails("incomplete metadata, file not fully covered: the tensors end at byte 24 of the data buffer, but the file "
                + "holds 28 bytes after the header", file(h, 28));
        fails("incomplete metadata, file not fully covered: the tensors end at byte 24 of the data buffer, but the file "
                + "holds 0 bytes after the header (the file is truncated)", file(h, 0));
    }

    @Test void hugeDeclaredSizesAllocateNothing() {
        long before = Torch.memoryStats().bytesInUse();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heapBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        // 4 TiB declared, consistent with its offsets, in a file of a few bytes
        fails("incomplete metadata, file not fully covered: the tensors end at byte 4398046511104 of the data buffer, "
                + "but the file holds 16 bytes after the header (the file is truncated)",
                file("{" + tensor("embed", "F32", "[1099511627776]", 0, 4398046511104L) + "}", 16));
        fails("overflow computing buffer size from shape [4611686018427387904, 4] and dtype F32 of tensor `x`",
                file("{" + tensor("x", "F32", "[4611686018427387904,4]", 0, 0) + "}", 0));
        long heap = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - heapBefore;
        assertTrue(heap < 4 << 20, "heap allocated while refusing the files: " + heap);
        assertEquals(before, Torch.memoryStats().bytesInUse(), "no native memory allocated");
    }

    @Test void offsetsOverlappingOrLeavingGaps() {
        String a = tensor("a", "F32", "[2]", 0, 8);
        fails("invalid offset for tensor `b`: its data_offsets are [4, 12], but it must begin at byte 8, where tensor `a` "
                + "ends (tensors fill the data buffer in order, without gaps or overlaps)",
                file("{" + a + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12));
        fails("invalid offset for tensor `b`: its data_offsets are [12, 20], but it must begin at byte 8, where tensor "
                + "`a` ends (tensors fill the data buffer in order, without gaps or overlaps)",
                file("{" + a + "," + tensor("b", "F32", "[2]", 12, 20) + "}", 20));
        fails("invalid offset for tensor `a`: its data_offsets are [4, 12], but it must begin at byte 0, where the data "
                + "buffer starts (tensors fill the data buffer in order, without gaps or overlaps)",
                file("{" + tensor("a", "F32", "[2]", 4, 12) + "}", 12));
        fails("invalid offset for tensor `a`: its data_offsets are [8, 0], but it must begin at byte 0, where the data "
                + "buffer starts (tensors fill the data buffer in order, without gaps or overlaps)",
                file("{" + tensor("a", "F32", "[0]", 8, 0) + "}", 8));
    }

    @Test void sizesThatDoNotMatchTheOffsets() {
        fails("invalid shape, data type, or offset for tensor `w`: dtype F32 and shape [2, 3] take 24 bytes, but its "
                + "data_offsets [0, 20] hold 20", file("{" + tensor("w", "F32", "[2,3]", 0, 20) + "}", 20));
        fails("tensor `q` of dtype F4 and shape [3] does not end on a byte boundary",
                file("{" + tensor("q", "F4", "[3]", 0, 2) + "}", 2));
    }

    @Test void unknownDtypes() {
        fails("unknown dtype \"F33\" of tensor `w` (safetensors dtypes: BOOL, F4, F6_E2M3, F6_E3M2, U8, I8, F8_E5M2, "
                + "F8_E4M3, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64)",
                file("{" + tensor("w", "F33", "[1]", 0, 4) + "}", 4));
        fails("invalid JSON in header: tensor `w` needs a string \"dtype\", got null",
                file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
    }

    @Test void malformedHeaders() {
        fails("invalid JSON in header: unexpected end of input at character 5", file("{\"a\":", 0));
        fails("invalid JSON in header: expected an object, got an array []", file("[]", 0));
        fails("invalid JSON in header: trailing characters after the JSON value at character 3", file("{} x", 0));
        fails("invalid JSON in header: duplicate key \"a\" at character 54",
                file("{" + tensor("a", "F32", "[0]", 0, 0) + "," + tensor("a", "F32", "[0]", 0, 0) + "}", 0));
        fails("invalid JSON in header: nesting deeper than 3 levels at character 3", file("[[[[[[[[]]]]]]]]", 0));
        fails("invalid JSON in header: \"shape\" of tensor `w` must be an array of non-negative integers, got an array "
                + "[-1]", file("{" + tensor("w", "F32", "[-1]", 0, 0) + "}", 0));
        fails("invalid JSON in header: \"shape\" of tensor `w` must be an array of non-negative integers, got an array "
                + "[2.0]", file("{" + tensor("w", "F32", "[2.0]", 0, 8) + "}", 8));
        fails("invalid JSON in header: integer 99999999999999999999 is out of range at character 29",
                file("{" + tensor("w", "F32", "[99999999999999999999]", 0, 8) + "}", 8));
        fails("invalid JSON in header: \"data_offsets\" of tensor `w` must be an array of 2 non-negative integers, got "
                + "an array [0, 4, 8]", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8));
        fails("invalid JSON in header: \"__metadata__\" must map strings to strings, but \"k\" holds the number 1",
                file("{\"__metadata__\":{\"k\":1}}", 0));
        fails("invalid JSON in header: tensor `w` must be an object with \"dtype\", \"shape\" and \"data_offsets\", got "
                + "the string \"x\"", file("{\"w\":\"x\"}", 0));
        byte[] badUtf8 = "{\"\u00e9\":1}".getBytes(StandardCharsets.UTF_8);
        badUtf8[3] = (byte) 0xff;
        fails("invalid UTF-8 in header", file(badUtf8.length, badUtf8, new byte[0]));
    }

    @Test void aBrokenStructureIsReportedByLoadDict() {
        Path p = dir.resolve("opt.safetensors");
        Torch.save(Map.of("w", Torch.ones(1)), p, Map.of("torchlet.structure", "{\"w\":"));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Torch.loadDict(p));
        assertEquals("invalid JSON in the \"torchlet.structure\" metadata of " + p + ": unexpected end of input at "
                + "character 5", e.getMessage());
        Torch.save(Map.of("w", Torch.ones(1)), p, Map.of("torchlet.structure", "{\"w\":{\"__tensor__\":\"v\"}}"));
        e = assertThrows(SafetensorsException.class, () -> Torch.loadDict(p));
        assertEquals("the \"torchlet.structure\" metadata of " + p + " refers to tensor v, which the file does not hold",
                e.getMessage());
        assertEquals(1, Torch.load(p).size(), "the tensors themselves still load");
    }

    @Test void theSameFileLoadsOnceRepaired() {
        byte[] good = file("{" + tensor("w", "F32", "[2]", 0, 8) + "}", 8);
        fails("incomplete metadata, file not fully covered: the tensors end at byte 8 of the data buffer, but the file "
                + "holds 4 bytes after the header (the file is truncated)", Arrays.copyOf(good, good.length - 4));
        assertEquals(2, Torch.load(write(good)).get("w").numel());
    }
}

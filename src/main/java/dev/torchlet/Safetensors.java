package dev.torchlet;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.torchlet.backend.Backend;
import dev.torchlet.backend.NativeStorage;
import dev.torchlet.backend.Strided;
import dev.torchlet.backend.cpu.CpuBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The safetensors format, behind {@link Torch#save} and {@link Torch#load}: an 8-byte little-endian length
 * N, N bytes of UTF-8 JSON ({@code {"__metadata__": {...}, "name": {"dtype": "F32", "shape": [2, 3],
 * "data_offsets": [begin, end]}, ...}}, padded with spaces to a multiple of 8), then the tensors' bytes,
 * row-major and little-endian, filling the rest of the file in order without gaps.
 *
 * <p>Writing does what the Rust library (and so Python's {@code safetensors.torch.save_file}) does, to
 * the byte: tensors ordered by dtype alignment, largest first, then by name; compact JSON with the
 * metadata first; the header padded to 8 bytes. The file is written beside its destination and renamed
 * over it, so a file whose tensors are still mapped is never truncated under them.
 *
 * <p>Reading checks the whole header against the file before it allocates anything: header length, UTF-8,
 * JSON, known dtypes, shapes whose byte size does not overflow and matches the data offsets, offsets that
 * fill the data buffer in order without gaps or overlaps, and a buffer that ends exactly where the file
 * does. F32, F64 and I64 tensors of at least {@link #MMAP_MIN_BYTES} are then memory-mapped copy-on-write
 * (see {@link CpuBackend#mapFile}): no byte is copied, and the mapping lives exactly as long as the
 * tensor's storage. Smaller tensors, and the dtypes torchlet widens (F16 and BF16 to float32; I32, I16,
 * I8, U8, U16, U32 to int64; BOOL normalized to 0/1), are decoded natively from one temporary mapping of
 * the file into native storage: never through the Java heap.
 *
 * <p>Nested state dicts (an optimizer's) are stored as: every tensor under its dotted key path
 * ("state.0.exp_avg"), every byte[] as a U8 tensor, and the whole structure, numbers and strings included,
 * as JSON in the metadata entry {@value #STRUCTURE_KEY}, where {@code {"__tensor__": "state.0.exp_avg"}}
 * (or {@code "__bytes__"}) stands for a stored tensor (or byte[]).
 */
final class Safetensors {
    /** The largest header the safetensors library accepts (its MAX_HEADER_SIZE). */
    static final long MAX_HEADER_SIZE = 100_000_000L;

    /** Tensors of this many bytes and more are memory-mapped; smaller ones are copied (see the class doc). */
    static final long MMAP_MIN_BYTES = 1L << 20;

    /** The metadata entry that holds the structure of a nested state dict. */
    static final String STRUCTURE_KEY = "torchlet.structure";

    private static final String TENSOR_MARK = "__tensor__";
    private static final String BYTES_MARK = "__bytes__";
    private static final String METADATA = "__metadata__";
    private static final int BOUNCE_BYTES = 1 << 20;
    private static final int STRUCTURE_MAX_DEPTH = 256;

    /**
     * Every dtype of the format, in the order of the Rust library's Dtype enum, which is increasing
     * alignment: the writer stores tensors by this order, last first.
     */
    private static final List<String> FORMAT_DTYPES = List.of("BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8",
            "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32",
            "F32", "C64", "F64", "I64", "U64");
    private static final int[] FORMAT_BITS = {8, 4, 6, 6, 8, 8, 8, 8, 8, 8, 8, 16, 16, 16, 16, 32, 32, 32, 64, 64,
        64, 64};

    /** The file dtypes torchlet reads, with the dtype each becomes. The ordinal is TlRawType in torchlet.h. */
    enum FileType {
        F64(DType.FLOAT64), F32(DType.FLOAT32), F16(DType.FLOAT32), BF16(DType.FLOAT32), I64(DType.INT64),
        I32(DType.INT64), I16(DType.INT64), I8(DType.INT64), U8(DType.INT64), U16(DType.INT64), U32(DType.INT64),
        BOOL(DType.BOOL);

        final DType target;

        FileType(DType target) { this.target = target; }

        /** The file's bytes are the target dtype's bytes: the tensor can be mapped as it is. */
        boolean mappable() { return this == F64 || this == F32 || this == I64; }

        static FileType named(String dtype) {
            for (FileType t : values()) if (t.name().equals(dtype)) return t;
            return null;
        }

        /** The safetensors dtype of a torchlet dtype. */
        static String of(DType dtype) {
            switch (dtype) {
                case FLOAT32: return "F32";
                case FLOAT64: return "F64";
                case INT64: return "I64";
                default: return "BOOL";
            }
        }
    }

    /** One tensor of a header. */
    static final class Entry {
        final String name;
        final String dtype;
        final long[] shape;
        final long begin;
        final long end;

        Entry(String name, String dtype, long[] shape, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }
    }

    /** A validated header: its length, the file's size, the metadata (empty when absent), tensors by offset. */
    static final class Header {
        final long length;
        final long fileSize;
        final Map<String, String> metadata;
        final List<Entry> entries;

        Header(long length, long fileSize, Map<String, String> metadata, List<Entry> entries) {
            this.length = length;
            this.fileSize = fileSize;
            this.metadata = metadata;
            this.entries = entries;
        }

        long dataStart() { return 8 + length; }
    }

    private Safetensors() {}

    // ------------------------------------------------------------------------------------------- reading

    /** Reads and validates the header of the file at path (see the class doc); allocates nothing else. */
    static Header readHeader(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(path, "header too small: the file has " + size + " bytes, fewer than the 8 that hold the "
                        + "header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(path, ch, lengthBytes, 0);
            long n = lengthBytes.getLong(0);
            if (n < 0 || n > MAX_HEADER_SIZE) {
                throw bad(path, "header too large: the file declares a header of " + Long.toUnsignedString(n)
                        + " bytes, more than the " + MAX_HEADER_SIZE + " that safetensors allows");
            }
            if (n > size - 8) {
                throw bad(path, "invalid header length: the file declares a header of " + n + " bytes, but only "
                        + (size - 8) + " bytes follow the header length (the file is truncated, or not a "
                        + "safetensors file)");
            }
            byte[] bytes = new byte[(int) n]; // at most 100 MB, and no more than the file holds
            readFully(path, ch, ByteBuffer.wrap(bytes), 8);
            return parseHeader(path, bytes, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Header parseHeader(Path path, byte[] bytes, long size) {
        String text;
        try {
            text = UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw bad(path, "invalid UTF-8 in header", e);
        }
        Object json;
        try {
            json = Json.parse(text, 3, false);
        } catch (IllegalArgumentException e) {
            throw bad(path, "invalid JSON in header: " + e.getMessage(), e);
        }
        if (!(json instanceof Map)) throw bad(path, "invalid JSON in header: expected an object, got " + describe(json));
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
            String name = (String) e.getKey();
            Object value = e.getValue();
            if (name.equals(METADATA)) {
                if (value == null) continue;
                if (!(value instanceof Map)) {
                    throw bad(path, "invalid JSON in header: \"__metadata__\" must be an object of strings, got "
                            + describe(value));
                }
                for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw bad(path, "invalid JSON in header: \"__metadata__\" must map strings to strings, but \""
                                + m.getKey() + "\" holds " + describe(m.getValue()));
                    }
                    metadata.put((String) m.getKey(), (String) m.getValue());
                }
                continue;
            }
            entries.add(entry(path, name, value));
        }
        entries.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
        long end = validateOffsets(path, entries);
        long available = size - 8 - bytes.length;
        if (end != available) {
            throw bad(path, "incomplete metadata, file not fully covered: the tensors end at byte " + end + " of the "
                    + "data buffer, but the file holds " + available + " bytes after the header"
                    + (end > available ? " (the file is truncated)" : ""));
        }
        return new Header(bytes.length, size, Collections.unmodifiableMap(metadata), entries);
    }

    private static Entry entry(Path path, String name, Object value) {
        if (!(value instanceof Map)) {
            throw bad(path, "invalid JSON in header: tensor `" + name + "` must be an object with \"dtype\", \"shape\" "
                    + "and \"data_offsets\", got " + describe(value));
        }
        Map<?, ?> info = (Map<?, ?>) value;
        Object dtype = info.get("dtype");
        if (!(dtype instanceof String)) {
            throw bad(path, "invalid JSON in header: tensor `" + name + "` needs a string \"dtype\", got " + describe(dtype));
        }
        if (!FORMAT_DTYPES.contains(dtype)) {
            throw bad(path, "unknown dtype \"" + dtype + "\" of tensor `" + name + "` (safetensors dtypes: "
                    + String.join(", ", FORMAT_DTYPES) + ")");
        }
        long[] shape = sizes(path, name, "shape", info.get("shape"), -1);
        long[] offsets = sizes(path, name, "data_offsets", info.get("data_offsets"), 2);
        return new Entry(name, (String) dtype, shape, offsets[0], offsets[1]);
    }

    /** A JSON array of non-negative integers (of the given count, when count >= 0). */
    private static long[] sizes(Path path, String name, String field, Object value, int count) {
        String want = count < 0 ? "an array of non-negative integers" : "an array of " + count + " non-negative integers";
        if (!(value instanceof List) || (count >= 0 && ((List<?>) value).size() != count)) {
            throw bad(path, "invalid JSON in header: \"" + field + "\" of tensor `" + name + "` must be " + want + ", got "
                    + describe(value));
        }
        List<?> list = (List<?>) value;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Long) || (Long) v < 0) {
                throw bad(path, "invalid JSON in header: \"" + field + "\" of tensor `" + name + "` must be " + want
                        + ", got " + describe(value));
            }
            out[i] = (Long) v;
        }
        return out;
    }

    /** Checks the entries (sorted by offset) as the Rust library's Metadata::validate does; returns the end. */
    private static long validateOffsets(Path path, List<Entry> entries) {
        long start = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin != start || e.end < e.begin) {
                throw bad(path, "invalid offset for tensor `" + e.name + "`: its data_offsets are [" + e.begin + ", "
                        + e.end + "], but it must begin at byte " + start + ", where "
                        + (previous == null ? "the data buffer starts" : "tensor `" + previous.name + "` ends")
                        + " (tensors fill the data buffer in order, without gaps or overlaps)");
            }
            int k = FORMAT_DTYPES.indexOf(e.dtype);
            long bits;
            try {
                bits = FORMAT_BITS[k];
                for (long d : e.shape) bits = Math.multiplyExact(bits, d);
            } catch (ArithmeticException x) {
                throw bad(path, "overflow computing buffer size from shape " + Arrays.toString(e.shape) + " and dtype "
                        + e.dtype + " of tensor `" + e.name + "`");
            }
            if (bits % 8 != 0) {
                throw bad(path, "tensor `" + e.name + "` of dtype " + e.dtype + " and shape " + Arrays.toString(e.shape)
                        + " does not end on a byte boundary");
            }
            if (e.end - e.begin != bits / 8) {
                throw bad(path, "invalid shape, data type, or offset for tensor `" + e.name + "`: dtype " + e.dtype
                        + " and shape " + Arrays.toString(e.shape) + " take " + bits / 8 + " bytes, but its "
                        + "data_offsets [" + e.begin + ", " + e.end + "] hold " + (e.end - e.begin));
            }
            start = e.end;
            previous = e;
        }
        return start;
    }

    /** The tensors of the file at path, by name in file order (see the class doc for mmap). */
    static Map<String, Tensor> load(Path path, boolean mmap) { return load(path, readHeader(path), mmap); }

    private static Map<String, Tensor> load(Path path, Header h, boolean mmap) {
        for (Entry e : h.entries) {
            if (FileType.named(e.dtype) == null) {
                throw new SafetensorsException(path, "cannot load tensor `" + e.name + "` of " + path + ": torchlet has no "
                        + "dtype for safetensors dtype " + e.dtype + " (it loads F64, F32, F16 and BF16 as float "
                        + "tensors, I64, I32, I16, I8, U8, U16 and U32 as int64, and BOOL)");
            }
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("safetensors files are little-endian; this platform is not");
        }
        Backend target = Torch.backendFor(Device.CPU);
        CpuBackend cpu = CpuBackend.INSTANCE;
        long regionBytes = h.fileSize - h.dataStart();
        NativeStorage region = null; // one temporary mapping of the whole data buffer, for the tensors that are copied
        Map<String, Tensor> out = new LinkedHashMap<>();
        boolean done = false;
        try (var g = Torch.noGrad()) {
            for (Entry e : h.entries) {
                FileType type = FileType.named(e.dtype);
                long nbytes = e.end - e.begin;
                long at = h.dataStart() + e.begin;
                Tensor t;
                if (mmap && type.mappable() && nbytes >= MMAP_MIN_BYTES && at % type.target.itemSize() == 0) {
                    NativeStorage storage = cpu.mapFile(path, at, nbytes, h.fileSize);
                    t = new Tensor(new Strided(storage, type.target, 0, e.shape.clone(),
                            Strided.contiguousStrides(e.shape)));
                } else {
                    t = Tensor.empty(cpu, type.target, e.shape);
                    if (nbytes > 0) {
                        if (region == null) {
                            region = cpu.mapFile(path, h.dataStart(), regionBytes, h.fileSize);
                            region.retain();
                        }
                        cpu.decode(type.ordinal(), region, e.begin, t.data());
                    }
                }
                if (target != cpu) { // the reference backend: its storage is a Java array anyway
                    try (Tensor onCpu = t) {
                        t = onCpu.transfer(target);
                    }
                }
                out.put(e.name, t);
            }
            done = true;
            return out;
        } finally {
            if (region != null) region.release();
            if (!done) for (Tensor t : out.values()) t.close();
        }
    }

    /** The metadata of the file at path (empty when it has none). */
    static Map<String, String> metadata(Path path) { return readHeader(path).metadata; }

    /** What {@link #save} stored: the nested structure rebuilt, or the tensors of a plain file. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> loadDict(Path path) {
        Header h = readHeader(path);
        String structure = h.metadata.get(STRUCTURE_KEY);
        Object parsed = null;
        if (structure != null) {
            try {
                parsed = Json.parse(structure, STRUCTURE_MAX_DEPTH, true);
            } catch (IllegalArgumentException e) {
                throw new SafetensorsException(path, "invalid JSON in the \"" + STRUCTURE_KEY + "\" metadata of " + path
                        + ": " + e.getMessage(), e);
            }
            if (!(parsed instanceof Map)) {
                throw new SafetensorsException(path, "the \"" + STRUCTURE_KEY + "\" metadata of " + path
                        + " must be a JSON object, got " + describe(parsed));
            }
        }
        Map<String, Tensor> tensors = load(path, h, true);
        if (parsed == null) return new LinkedHashMap<>(tensors);
        Set<Tensor> used = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            return (Map<String, Object>) rebuild(path, parsed, tensors, used);
        } finally {
            for (Tensor t : tensors.values()) if (!used.contains(t)) t.close();
        }
    }

    private static Object rebuild(Path path, Object node, Map<String, Tensor> tensors, Set<Tensor> used) {
        if (node instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) node;
            if (map.size() == 1 && (map.containsKey(TENSOR_MARK) || map.containsKey(BYTES_MARK))) {
                boolean bytes = map.containsKey(BYTES_MARK);
                Object name = map.values().iterator().next();
                Tensor t = name instanceof String ? tensors.get(name) : null;
                if (t == null) {
                    throw new SafetensorsException(path, "the \"" + STRUCTURE_KEY + "\" metadata of " + path
                            + " refers to tensor " + name + ", which the file does not hold");
                }
                if (!bytes) {
                    used.add(t);
                    return t;
                }
                long[] values = t.dtype() == DType.INT64 ? t.toLongArray() : null;
                byte[] out = new byte[values == null ? 0 : values.length];
                for (int i = 0; values == null || i < values.length; i++) {
                    if (values == null || values[i] < 0 || values[i] > 255) {
                        throw new SafetensorsException(path, "tensor `" + name + "` of " + path + " should hold bytes "
                                + "(U8), but holds " + (values == null ? t.dtype() + " values" : "the value " + values[i]));
                    }
                    out[i] = (byte) values[i];
                }
                return out;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) out.put((String) e.getKey(), rebuild(path, e.getValue(), tensors, used));
            return out;
        }
        if (node instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object v : (List<?>) node) out.add(rebuild(path, v, tensors, used));
            return out;
        }
        return node;
    }

    // ------------------------------------------------------------------------------------------- writing

    /** One tensor to write: its name, format dtype, shape, and data (a contiguous CPU tensor, or a byte[]). */
    private static final class Item {
        final String name;
        final byte[] nameBytes;
        final String dtype;
        final long[] shape;
        final long nbytes;
        final Tensor tensor;
        final byte[] bytes;

        Item(String name, String dtype, long[] shape, long nbytes, Tensor tensor, byte[] bytes) {
            this.name = name;
            this.nameBytes = name.getBytes(UTF_8);
            this.dtype = dtype;
            this.shape = shape;
            this.nbytes = nbytes;
            this.tensor = tensor;
            this.bytes = bytes;
        }
    }

    /**
     * Writes stateDict to path with the given metadata (see the class doc): a map of tensors as a plain
     * safetensors file, a nested state dict with its structure in the metadata.
     */
    static void save(Map<String, ?> stateDict, Path path, Map<String, String> metadata) {
        if (stateDict == null) throw new NullPointerException("stateDict is null");
        if (path == null) throw new NullPointerException("path is null");
        Map<String, String> meta = new LinkedHashMap<>();
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("metadata maps strings to strings; got " + e.getKey() + " -> "
                            + e.getValue());
                }
                meta.put(e.getKey(), e.getValue());
            }
        }
        Map<String, Object> sources = new LinkedHashMap<>();
        boolean flat = true;
        for (Object v : stateDict.values()) flat &= v instanceof Tensor;
        if (flat) {
            for (Map.Entry<String, ?> e : stateDict.entrySet()) addSource(sources, e.getKey(), e.getValue());
        } else {
            Object structure = flatten("", stateDict, sources);
            if (meta.containsKey(STRUCTURE_KEY)) {
                throw new IllegalArgumentException("metadata key \"" + STRUCTURE_KEY + "\" is reserved for the structure "
                        + "of a nested state dict");
            }
            meta.put(STRUCTURE_KEY, Json.write(new StringBuilder(), structure).toString());
        }
        List<Tensor> temporaries = new ArrayList<>();
        try (var g = Torch.noGrad()) {
            List<Item> items = new ArrayList<>();
            for (Map.Entry<String, Object> e : sources.entrySet()) {
                Object v = e.getValue();
                if (v instanceof byte[]) {
                    byte[] b = (byte[]) v;
                    items.add(new Item(e.getKey(), "U8", new long[] {b.length}, b.length, null, b));
                    continue;
                }
                Tensor t = (Tensor) v;
                Tensor c = t.device().isCuda() ? t.to(Device.CPU) : t;
                if (c != t) temporaries.add(c);
                Tensor contiguous = c.contiguous();
                if (contiguous != c) temporaries.add(contiguous);
                items.add(new Item(e.getKey(), FileType.of(t.dtype()), t.shape().toArray(),
                        t.dtype().byteSize(t.numel()), contiguous, null));
            }
            items.sort((a, b) -> {
                int byDtype = Integer.compare(FORMAT_DTYPES.indexOf(b.dtype), FORMAT_DTYPES.indexOf(a.dtype));
                return byDtype != 0 ? byDtype : Arrays.compareUnsigned(a.nameBytes, b.nameBytes);
            });
            byte[] header = header(meta, items);
            write(path, header, items);
        } finally {
            for (Tensor t : temporaries) t.close();
        }
    }

    private static void addSource(Map<String, Object> sources, String name, Object value) {
        if (name == null) throw new IllegalArgumentException("a tensor name is null");
        if (name.equals(METADATA)) throw new IllegalArgumentException("\"__metadata__\" cannot name a tensor");
        if (sources.containsKey(name)) {
            throw new IllegalArgumentException("two values would be stored as tensor `" + name + "`: a key with dots "
                    + "collides with the dotted path of a nested key");
        }
        sources.put(name, value);
    }

    /** The JSON structure of value, with its tensors and byte[]s added to sources under their dotted paths. */
    private static Object flatten(String key, Object value, Map<String, Object> sources) {
        if (value instanceof Tensor || value instanceof byte[]) {
            addSource(sources, key, value);
            Map<String, Object> mark = new LinkedHashMap<>();
            mark.put(value instanceof Tensor ? TENSOR_MARK : BYTES_MARK, key);
            return mark;
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("state dict keys must be strings, but " + where(key) + " has the key "
                            + e.getKey() + (e.getKey() == null ? "" : " of type " + e.getKey().getClass().getName()));
                }
                String k = (String) e.getKey();
                if (k.equals(TENSOR_MARK) || k.equals(BYTES_MARK)) {
                    throw new IllegalArgumentException("the keys \"__tensor__\" and \"__bytes__\" are reserved (in "
                            + where(key) + ")");
                }
                out.put(k, flatten(key.isEmpty() ? k : key + "." + k, e.getValue(), sources));
            }
            return out;
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) out.add(flatten(key + "." + i, list.get(i), sources));
            return out;
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof Double
                || value instanceof Float) {
            return value;
        }
        throw new IllegalArgumentException("cannot save a " + value.getClass().getName() + " (at \"" + key + "\"): a state "
                + "dict holds tensors, byte[], numbers, booleans, strings, null, and maps and lists of these");
    }

    private static String where(String key) { return key.isEmpty() ? "the state dict" : "\"" + key + "\""; }

    /** The header bytes (JSON padded with spaces to a multiple of 8), as the Rust library writes them. */
    private static byte[] header(Map<String, String> meta, List<Item> items) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        if (!meta.isEmpty()) {
            sb.append("\"__metadata__\":{");
            for (Map.Entry<String, String> e : meta.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                Json.quote(sb, e.getKey()).append(':');
                Json.quote(sb, e.getValue());
            }
            sb.append('}');
            first = false;
        }
        long offset = 0;
        for (Item item : items) {
            if (!first) sb.append(',');
            first = false;
            Json.quote(sb, item.name).append(":{\"dtype\":\"").append(item.dtype).append("\",\"shape\":[");
            for (int i = 0; i < item.shape.length; i++) sb.append(i == 0 ? "" : ",").append(item.shape[i]);
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(offset + item.nbytes).append("]}");
            offset += item.nbytes;
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        if (padded > MAX_HEADER_SIZE) {
            throw new IllegalArgumentException("header too large: " + items.size() + " tensors and the metadata make a "
                    + "header of " + padded + " bytes, more than the " + MAX_HEADER_SIZE + " that safetensors allows");
        }
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    /** Writes the file beside path, then renames it over path. */
    private static void write(Path path, byte[] header, List<Item> items) {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + path.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(header.length).put(header).flip();
                writeFully(ch, head);
                ByteBuffer bounce = ByteBuffer.allocateDirect(BOUNCE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Item item : items) {
                    if (item.bytes != null) {
                        writeFully(ch, ByteBuffer.wrap(item.bytes));
                    } else if (item.tensor.backend() == CpuBackend.INSTANCE) {
                        CpuBackend.INSTANCE.writeTo(ch, item.tensor.data(), bounce);
                    } else {
                        writeHost(ch, item.tensor, bounce);
                    }
                }
                ch.force(false);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    /** Writes a tensor of a Java-heap backend (the reference backend) through bounce, little-endian. */
    private static void writeHost(FileChannel ch, Tensor t, ByteBuffer bounce) throws IOException {
        Object array = t.backend().read(t.data());
        int n = java.lang.reflect.Array.getLength(array);
        bounce.clear();
        for (int i = 0; i < n; i++) {
            if (bounce.remaining() < 8) {
                bounce.flip();
                writeFully(ch, bounce);
                bounce.clear();
            }
            if (array instanceof float[]) bounce.putFloat(((float[]) array)[i]);
            else if (array instanceof double[]) bounce.putDouble(((double[]) array)[i]);
            else if (array instanceof long[]) bounce.putLong(((long[]) array)[i]);
            else bounce.put((byte) (((boolean[]) array)[i] ? 1 : 0));
        }
        bounce.flip();
        writeFully(ch, bounce);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void readFully(Path path, FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, position);
            if (n < 0) throw bad(path, "the file ended while its header was read (it is being written, or was truncated)");
            position += n;
        }
    }

    private static SafetensorsException bad(Path path, String detail) {
        return new SafetensorsException(path, "Error while deserializing header of " + path + ": " + detail);
    }

    private static SafetensorsException bad(Path path, String detail, Throwable cause) {
        return new SafetensorsException(path, "Error while deserializing header of " + path + ": " + detail, cause);
    }

    private static String describe(Object json) {
        if (json == null) return "null";
        if (json instanceof String) return "the string \"" + json + "\"";
        if (json instanceof Map) return "an object";
        if (json instanceof List) return "an array " + abbreviate(json.toString());
        return json.getClass() == Boolean.class ? json.toString() : "the number " + json;
    }

    private static String abbreviate(String s) { return s.length() <= 80 ? s : s.substring(0, 77) + "..."; }
}

package dev.torchlet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small, strict JSON reader and writer behind {@link Safetensors}: the header of a safetensors file, and
 * the structure of a nested state dict that torchlet keeps in its metadata.
 *
 * <p>Reading gives {@code LinkedHashMap<String, Object>} (in file order; a key twice is an error),
 * {@code ArrayList<Object>}, {@code String}, {@code Long} (a number with neither fraction nor exponent;
 * one outside the long range is an error), {@code Double}, {@code Boolean} and {@code null}. Nesting
 * deeper than the caller's limit is an error, so no input can overflow the stack. With nonFinite, the
 * tokens {@code NaN}, {@code Infinity} and {@code -Infinity} read as doubles, as Python's json module
 * writes and reads them.
 *
 * <p>Writing escapes strings exactly as serde_json (the Rust safetensors writer) does: {@code "} and
 * {@code \}, control characters as {@code \b \t \n \f \r} or <code>&#92;u00xx</code>, everything else (non-ASCII
 * included) as it is. So a header written here is byte for byte the header the Rust library writes.
 */
final class Json {
    private final String text;
    private final int maxDepth;
    private final boolean nonFinite;
    private int pos;

    private Json(String text, int maxDepth, boolean nonFinite) {
        this.text = text;
        this.maxDepth = maxDepth;
        this.nonFinite = nonFinite;
    }

    /**
     * The one JSON value of text (whitespace around it allowed).
     *
     * @throws IllegalArgumentException naming the character position of the first error
     */
    static Object parse(String text, int maxDepth, boolean nonFinite) {
        Json p = new Json(text, maxDepth, nonFinite);
        p.skipWhitespace();
        Object value = p.value(1);
        p.skipWhitespace();
        if (p.pos != text.length()) throw p.error("trailing characters after the JSON value");
        return value;
    }

    private Object value(int depth) {
        if (pos >= text.length()) throw error("unexpected end of input");
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            case 'N': if (nonFinite) return literal("NaN", Double.NaN); break;
            case 'I': if (nonFinite) return literal("Infinity", Double.POSITIVE_INFINITY); break;
            default: if (c == '-' || (c >= '0' && c <= '9')) return number(); break;
        }
        throw error("expected a JSON value");
    }

    private Map<String, Object> object(int depth) {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels");
        pos++; // {
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key");
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') return map;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels");
        pos++; // [
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') return list;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // "
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) throw error("control character in a string");
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) sb = new StringBuilder();
            sb.append(text, start, pos);
            pos++;
            if (pos >= text.length()) throw error("unterminated string");
            char e = text.charAt(pos++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u': sb.append(hex4()); break;
                default:
                    pos--;
                    throw error("invalid escape '\\" + e + "'");
            }
            start = pos;
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) throw error("incomplete \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) throw error("invalid \\u escape");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v; // surrogate pairs come as two escapes, which the two chars rejoin
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
            if (nonFinite && text.startsWith("Infinity", pos)) {
                pos += 8;
                return Double.NEGATIVE_INFINITY;
            }
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("invalid number");
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            pos++;
            if (!isDigit(peek())) throw error("invalid number");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("invalid number");
            while (isDigit(peek())) pos++;
        }
        String s = text.substring(start, pos);
        if (!integer) return Double.parseDouble(s);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer " + s + " is out of range");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) throw error("expected a JSON value");
        pos += word.length();
        return value;
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    /** The current character, or 0 at the end. */
    private char peek() { return pos < text.length() ? text.charAt(pos) : 0; }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at character " + pos);
    }

    // ------------------------------------------------------------------------------------------- writing

    /** Appends s as a JSON string, escaped as serde_json escapes it. */
    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }

    /**
     * Appends value as compact JSON: maps (string keys, in their order), lists, strings, booleans, null,
     * integers (Long, Integer, Short, Byte) and floating values (Double, Float; NaN and infinities as
     * Python's json writes them). Floating values always carry a '.' or an exponent, so they read back
     * as doubles and integers as longs.
     *
     * @throws IllegalArgumentException for any other type
     */
    static StringBuilder write(StringBuilder out, Object value) {
        if (value == null) return out.append("null");
        if (value instanceof String) return quote(out, (String) value);
        if (value instanceof Boolean) return out.append(value);
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return out.append(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) return out.append("NaN");
            if (Double.isInfinite(d)) return out.append(d > 0 ? "Infinity" : "-Infinity");
            return out.append(Double.toString(d)); // always "1.0", "1.0E-8": a '.' is always there
        }
        if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!first) out.append(',');
                first = false;
                quote(out, (String) e.getKey()).append(':');
                write(out, e.getValue());
            }
            return out.append('}');
        }
        if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object v : (List<?>) value) {
                if (!first) out.append(',');
                first = false;
                write(out, v);
            }
            return out.append(']');
        }
        throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
    }
}

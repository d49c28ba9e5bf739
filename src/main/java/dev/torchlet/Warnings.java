package dev.torchlet;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** PyTorch's Python warnings: printed to stderr once per kind, as Python's default filter does per call site. */
final class Warnings {
    private static final Set<String> SHOWN = ConcurrentHashMap.newKeySet();

    private Warnings() {}

    static void once(String key, String message) {
        if (SHOWN.add(key)) System.err.println(message);
    }
}

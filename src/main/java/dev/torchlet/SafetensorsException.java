package dev.torchlet;

import java.nio.file.Path;

/**
 * A file that is not a valid safetensors file, or holds what torchlet cannot load (Python's
 * {@code safetensors_rust.SafetensorError}). The message names the file and, where one is at fault, the
 * tensor, with the safetensors library's wording: "header too large", "invalid offset for tensor `w`",
 * "incomplete metadata, file not fully covered", ... Nothing of a tensor's declared size is allocated
 * before the whole header has been checked against the file.
 */
public class SafetensorsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * An error in the file at path, described by message.
     * @param path the file
     * @param message what is wrong
     */
    public SafetensorsException(Path path, String message) {
        super(message);
        this.path = path;
    }

    /**
     * An error in the file at path, described by message, found as cause.
     * @param cause the underlying exception
     * @param path the file
     * @param message what is wrong
     */
    public SafetensorsException(Path path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /**
     * The file at fault.
     * @return the path
     */
    public Path path() { return path; }
}

package dev.torchlet.data;

import dev.torchlet.Scope;
import dev.torchlet.Tensor;
import dev.torchlet.Torch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The handwritten digits dataset that scikit-learn's {@code load_digits()} returns, shipped in the library:
 * 1,797 images of 8×8 pixels with values 0..16, each labelled with its digit 0..9 (about 180 of each).
 * The data is the UCI "Optical Recognition of Handwritten Digits" set (E. Alpaydin, C. Kaynak, 1998,
 * https://doi.org/10.24432/C50P49), licensed under CC BY 4.0; the resource
 * {@code dev/torchlet/data/digits-LICENSE.txt} next to the data gives the attribution and provenance.
 *
 * <pre>{@code
 * Digits digits = Digits.load();
 * digits.data();     // [1797, 64] float32, 0..16 (scikit-learn's is float64)
 * digits.target();   // [1797] int64, 0..9
 * digits.images();   // [1797, 8, 8], a view of data()
 * var dataset = new TensorDataset(digits.data().div(16.0), digits.target());
 * }</pre>
 */
public final class Digits {
    /** Number of images. */
    public static final int SAMPLES = 1797;
    /** Pixels per image (8 × 8). */
    public static final int FEATURES = 64;
    /** Number of classes, the digits 0 to 9. */
    public static final int CLASSES = 10;

    private static final String RESOURCE = "digits.csv.gz";

    private final Tensor data;
    private final Tensor target;

    private Digits(Tensor data, Tensor target) {
        this.data = data;
        this.target = target;
    }

    /**
     * Reads the dataset from the library's resources (about 60 KB, gzipped), in scikit-learn's order. Each
     * call makes new tensors (outside any scope: they are not closed by an enclosing {@code Torch.scope()}).
     *
     * @return the dataset
     * @throws UncheckedIOException if the resource cannot be read
     */
    public static Digits load() {
        float[] pixels = new float[SAMPLES * FEATURES];
        long[] labels = new long[SAMPLES];
        try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) throw new IOException("resource " + RESOURCE + " not found next to " + Digits.class.getName());
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            int row = 0;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) continue;
                String[] fields = line.split(",");
                if (row >= SAMPLES || fields.length != FEATURES + 1) {
                    throw new IOException(RESOURCE + ": unexpected line " + (row + 1));
                }
                for (int j = 0; j < FEATURES; j++) pixels[row * FEATURES + j] = Integer.parseInt(fields[j].trim());
                labels[row] = Integer.parseInt(fields[FEATURES].trim());
                row++;
            }
            if (row != SAMPLES) throw new IOException(RESOURCE + ": " + row + " lines, expected " + SAMPLES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tensor flat = Scope.exempt(Torch.tensor(pixels));
        Tensor data = Scope.exempt(flat.view(SAMPLES, FEATURES));
        Tensor target = Scope.exempt(Torch.tensor(labels));
        return new Digits(data, target);
    }

    /**
     * The images as rows of 64 pixels, row-major: [1797, 64] float32, integer values 0..16.
     * @return the pixel rows
     */
    public Tensor data() { return data; }

    /**
     * The digits: [1797] int64, 0..9.
     * @return the targets
     */
    public Tensor target() { return target; }

    /**
     * The images: [1797, 8, 8] float32, a view of {@link #data()}.
     * @return the images
     */
    public Tensor images() { return data.view(SAMPLES, 8, 8); }

    /**
     * The class names, the digits 0..9 (scikit-learn's {@code target_names}): [10] int64.
     * @return the class names
     */
    public Tensor targetNames() { return Torch.arange(CLASSES); }

    /**
     * {@code new TensorDataset(data(), target())}: samples [pixels [64], digit []].
     * @return a dataset of (pixels, digit) samples
     */
    public TensorDataset toDataset() { return new TensorDataset(data, target); }
}

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a CPU user downloads: the jars on the runtime class path, summed. Run by consumer/pom.xml at verify:
 * {@code java tools/DownloadSize.java LIMIT_BYTES CLASSPATH}. Prints each jar and
 * "CPU download: NN.N MB in K jars" (MB = 1,000,000 bytes); exits 1 when the sum exceeds LIMIT_BYTES.
 */
public class DownloadSize {
    public static void main(String[] args) {
        long limit = Long.parseLong(args[0]);
        List<File> jars = new ArrayList<>();
        for (String entry : args[1].split(File.pathSeparator)) {
            File f = new File(entry);
            if (f.isFile() && f.getName().endsWith(".jar")) jars.add(f);
        }
        long total = 0;
        for (File jar : jars) {
            total += jar.length();
            System.out.println(String.format(Locale.ROOT, "  %6.2f MB  %s", jar.length() / 1e6, jar.getName()));
        }
        System.out.println(String.format(Locale.ROOT, "CPU download: %.1f MB in %d jars (limit %.1f MB)",
                total / 1e6, jars.size(), limit / 1e6));
        if (jars.isEmpty() || total > limit) {
            System.err.println(jars.isEmpty() ? "no jars on the class path" : "the CPU download is over the limit");
            System.exit(1);
        }
    }
}

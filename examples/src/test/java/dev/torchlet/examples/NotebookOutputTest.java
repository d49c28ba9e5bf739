package dev.torchlet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every program of a notebook and compares what it prints with the notebook's printed output, kept in
 * {@code src/test/resources/<notebook>/<Program>.expected}, line by line. The expected text is copied from
 * the seed notebook. In it:
 * <ul>
 *   <li>{@code #! ...} lines are comments (why a line differs from the notebook, where it came from) and
 *       are skipped;
 *   <li>{@code ~ regex} lines match an output line whose value is not deterministic (unseeded draws): the
 *       regex pins its form, the program's test checks what is deterministic about it;
 *   <li>every other line must equal the printed line exactly.
 * </ul>
 * Subclasses name the notebook: one test class per notebook.
 */
public abstract class NotebookOutputTest {
    private final Notebook notebook;

    protected NotebookOutputTest(Notebook notebook) {
        this.notebook = notebook;
    }

    @TestFactory
    Stream<DynamicTest> eachProgramPrintsWhatTheNotebookPrinted() {
        assertTrue(!notebook.programs().isEmpty(), notebook.name() + " lists no programs");
        return notebook.programs().stream().map(program -> DynamicTest.dynamicTest(program.getSimpleName(),
                () -> assertMatches(expected(program), captureOutput(program), program.getSimpleName())));
    }

    /** The program's standard output, as UTF-8 text. */
    protected static String captureOutput(Class<?> program) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Notebook.run(program);
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> expected(Class<?> program) throws IOException {
        String name = "/" + notebook.name() + "/" + program.getSimpleName() + ".expected";
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertNotNull(in, "missing expected output " + name);
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (!line.startsWith("#!")) lines.add(line);
            }
            return lines;
        }
    }

    static void assertMatches(List<String> expected, String output, String program) {
        String[] actual = output.split("\n", -1);
        int n = Math.min(expected.size(), actual.length);
        for (int i = 0; i < n; i++) {
            String want = expected.get(i);
            String got = actual[i];
            boolean ok = want.startsWith("~ ") ? Pattern.matches(want.substring(2), got) : want.equals(got);
            if (!ok) {
                fail(program + ", output line " + (i + 1) + ":\n expected: " + want + "\n   actual: " + got
                        + "\nwhole output:\n" + output);
            }
        }
        assertEquals(expected.size(), actual.length, program + ": number of output lines; whole output:\n" + output);
    }
}

package dev.torchlet.examples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The programs of one seed notebook, in the notebook's order. Each seed package ({@code seed000}, ...) has a
 * class holding its {@code Notebook} and a {@code main} that runs every program, as the notebook ran its cells.
 */
public final class Notebook {
    private final String name;
    private final List<Class<?>> programs;

    /**
     * @param name the notebook's file stem under shared/seeds and the folder of its expected outputs ("seed000")
     * @param programs classes with a {@code public static void main(String[])}, in the notebook's order
     */
    public Notebook(String name, List<Class<?>> programs) {
        this.name = name;
        this.programs = List.copyOf(programs);
    }

    public String name() { return name; }

    public List<Class<?>> programs() { return programs; }

    /** Runs each program's main in order, with a header line before each. */
    public void runAll() {
        for (Class<?> program : programs) {
            System.out.println("── " + name + " / " + program.getSimpleName() + " ──");
            run(program);
            System.out.println();
        }
    }

    /** Runs one program's {@code main(new String[0])}, rethrowing what it throws unwrapped. */
    public static void run(Class<?> program) {
        try {
            Method main = program.getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(program.getName() + " failed", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(program.getName() + " has no public static main(String[])", e);
        }
    }
}

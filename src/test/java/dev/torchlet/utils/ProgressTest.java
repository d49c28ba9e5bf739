package dev.torchlet.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The progress bar with a fake clock and a captured stream: what it prints, and when. */
class ProgressTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    long now = 1_000_000_000L;   // nanoseconds, moved by hand

    @AfterEach
    void clearProperty() { System.clearProperty(Progress.PROPERTY); }

    Progress.Builder builder(int epochs, long steps) {
        return Progress.builder(epochs, steps).out(out).clock(() -> now);
    }

    String output() { return bytes.toString(StandardCharsets.UTF_8); }

    void advanceMillis(long ms) { now += ms * 1_000_000L; }

    @Test
    void terminalRedrawsInPlaceAtMostTenTimesASecond() {
        try (Progress bar = builder(2, 10).mode(Progress.Mode.TERMINAL).build()) {
            assertEquals(Progress.Mode.TERMINAL, bar.mode());
            for (int i = 0; i < 20; i++) {
                advanceMillis(40);           // 25 steps/s: a redraw every third step at most
                bar.step(1.0 / (i + 1));
            }
        }
        String s = output();
        String[] frames = s.split("\r", -1);
        // "" before the first \r, then the frames drawn: steps 1, 4, 7, 10, 13, 16, 19 (>= 100 ms apart) and 20 (last)
        assertEquals(9, frames.length, s);
        assertEquals("epoch 1/2  step  1/10 [##..................]  25.0 steps/s  ETA 00:01  loss 1.000", frames[1].stripTrailing());
        assertEquals("epoch 1/2  step  4/10 [########............]  25.0 steps/s  ETA 00:01  loss 0.2500", frames[2].stripTrailing());
        assertEquals("epoch 2/2  step 10/10 [####################]  25.0 steps/s  ETA 00:00  loss 0.05000"
                + System.lineSeparator(), frames[8]);
        assertTrue(frames[6].startsWith("epoch 2/2  step  6/10 [############........]"), frames[6]);
    }

    @Test
    void terminalPadsOverALongerPreviousFrame() {
        try (Progress bar = builder(1, 3).mode(Progress.Mode.TERMINAL).refreshMillis(0).build()) {
            advanceMillis(1000);
            bar.set("acc", 0.123456);
            bar.step(123456.0);
            advanceMillis(1000);
            bar.step(1.0);
        }
        String[] frames = output().split("\r", -1);
        assertEquals(3, frames.length, "close adds no frame when the last state is shown: " + output());
        assertTrue(frames[2].endsWith(System.lineSeparator()), "close ends the line");
        String second = frames[2].substring(0, frames[2].length() - System.lineSeparator().length());
        assertEquals(frames[1].length(), second.length());   // padded with spaces, no leftover characters
        assertTrue(frames[1].endsWith("loss 1.235e+05  acc 0.1235"), frames[1]);
        assertEquals("epoch 1/1  step 2/3 [#############.......]  1.0 steps/s  ETA 00:01  loss 1.000  acc 0.1235",
                second.stripTrailing());
    }

    @Test
    void plainLinesAtEpochEndsAndEveryTenSeconds() {
        try (Progress bar = builder(3, 4).mode(Progress.Mode.LINES).build()) {
            for (int i = 0; i < 12; i++) {
                advanceMillis(3000);          // 3 s a step: 0.33 steps/s
                bar.step(i);
            }
        }
        List<String> lines = output().lines().toList();
        assertEquals(List.of(
                "epoch 1/3  step 4/4  3.00 s/step  ETA 00:24  loss 3.000",       // 12 s: 10 s passed, and the epoch ended
                "epoch 2/3  step 4/4  3.00 s/step  ETA 00:12  loss 7.000",
                "epoch 3/3  step 4/4  3.00 s/step  ETA 00:00  loss 11.00"), lines);
    }

    @Test
    void plainLinesWithinALongEpoch() {
        try (Progress bar = builder(1, 1000).mode(Progress.Mode.LINES).lineSeconds(10).build()) {
            for (int i = 0; i < 1000; i++) {
                advanceMillis(50);            // 20 steps/s, 50 s in all: a line every 10 s, and the last
                bar.step();
            }
        }
        List<String> lines = output().lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        assertEquals("epoch 1/1  step  200/1000  20.0 steps/s  ETA 00:40", lines.get(0));
        assertEquals("epoch 1/1  step 1000/1000  20.0 steps/s  ETA 00:00", lines.get(4));
    }

    @Test
    void fastEpochsPrintAtMostOneLineASecond() {
        try (Progress bar = builder(100, 5).mode(Progress.Mode.LINES).build()) {
            for (int i = 0; i < 500; i++) {
                advanceMillis(10);            // an epoch every 50 ms, 5 s in all
                bar.step(0.5);
            }
        }
        List<String> lines = output().lines().toList();
        assertEquals(5, lines.size(), lines.toString());
        assertEquals("epoch 100/100  step 5/5  100 steps/s  ETA 00:00  loss 0.5000", lines.get(4));
    }

    @Test
    void offByModeOrByProperty() {
        try (Progress bar = builder(2, 2).enabled(false).build()) {
            for (int i = 0; i < 4; i++) bar.step(1);
            assertEquals(4, bar.stepsDone());
        }
        System.setProperty(Progress.PROPERTY, "false");
        try (Progress bar = builder(2, 2).mode(Progress.Mode.TERMINAL).build()) {
            assertEquals(Progress.Mode.OFF, bar.mode());
            for (int i = 0; i < 4; i++) bar.step(1);
        }
        assertEquals("", output());
        System.setProperty(Progress.PROPERTY, "lines");
        assertEquals(Progress.Mode.LINES, builder(1, 1).mode(Progress.Mode.TERMINAL).build().mode());
        System.setProperty(Progress.PROPERTY, "true");
        assertEquals(Progress.Mode.TERMINAL, builder(1, 1).mode(Progress.Mode.TERMINAL).build().mode());
    }

    @Test
    void autoIsLinesWithoutAConsole() {
        // surefire runs the tests with stdin/stdout piped: no console
        if (System.console() == null) assertEquals(Progress.Mode.LINES, builder(1, 1).build().mode());
    }

    @Test
    void formatsAndErrors() {
        assertEquals("00:00", Progress.time(0));
        assertEquals("01:05", Progress.time(65));
        assertEquals("2:00:05", Progress.time(7205));
        assertEquals("0.2315", Progress.number(0.23149));
        assertEquals("1.235e-05", Progress.number(1.2349e-5));
        assertEquals("nan", Progress.number(Double.NaN));
        assertEquals("-inf", Progress.number(Double.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new Progress(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new Progress(1, 0));
        Progress bar = builder(1, 1).mode(Progress.Mode.LINES).build();
        bar.close();
        assertThrows(IllegalStateException.class, bar::step);
        assertEquals("epoch 1/1  step 0/1  -- steps/s  ETA --:--" + System.lineSeparator(), output());
    }
}

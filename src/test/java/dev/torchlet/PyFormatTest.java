package dev.torchlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Expected strings printed by CPython 3.11: repr(x), format(x, '.3f'), format(x, '.4e'). */
class PyFormatTest {
    private static void check(long bits, String repr, String fixed3, String sci4) {
        double x = Double.longBitsToDouble(bits);
        assertEquals(repr, PyFormat.repr(x), "repr of " + repr);
        assertEquals(fixed3, PyFormat.fixed(x, 3), "'.3f' of " + repr);
        assertEquals(sci4, PyFormat.sci(x, 4), "'.4e' of " + repr);
    }

    @Test
    void matchesCPython() {
        check(0x3fb999999999999aL, "0.1", "0.100", "1.0000e-01");
        check(0x3ee4f8b588e368f1L, "1e-05", "0.000", "1.0000e-05");
        check(0x4059000000000000L, "100.0", "100.000", "1.0000e+02");
        check(0x434aa535d3d0c000L, "1.5e+16", "15000000000000000.000", "1.5000e+16");
        check(0x4341c37937e08000L, "1e+16", "10000000000000000.000", "1.0000e+16");
        check(0x4341c37937e07fffL, "9999999999999998.0", "9999999999999998.000", "1.0000e+16");
        check(0x3f1a36e2eb1c432dL, "0.0001", "0.000", "1.0000e-04");
        check(0x3f202e4b6ce5dc68L, "0.00012345", "0.000", "1.2345e-04");
        check(0x419d6f3454000000L, "123456789.0", "123456789.000", "1.2346e+08");
        check(0x4005666666666666L, "2.675", "2.675", "2.6750e+00");
        check(0x0000000000000001L, "5e-324", "0.000", "4.9407e-324");
        check(0x0000000000000003L, "1.5e-323", "0.000", "1.4822e-323");
        check(0x7fefffffffffffffL, "1.7976931348623157e+308", "17976931348623157081452742373170435679807056752584"
                + "49965989174768031572607800285387605895586327668781715404589535143824642343213268894641827684675"
                + "46703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559"
                + "332123348274797826204144723168738177180919299881250404026184124858368.000", "1.7977e+308");
        check(0x8000000000000000L, "-0.0", "-0.000", "-0.0000e+00");
        check(0x3fd5555555555555L, "0.3333333333333333", "0.333", "3.3333e-01");
        check(0x4011666666666666L, "4.35", "4.350", "4.3500e+00");
        check(0x4480f0cf064dd592L, "1e+22", "10000000000000000000000.000", "1.0000e+22");
        check(0x44b52d02c7e14af6L, "1e+23", "99999999999999991611392.000", "1.0000e+23");
        assertEquals("nan", PyFormat.repr(Double.NaN));
        assertEquals("-inf", PyFormat.repr(Double.NEGATIVE_INFINITY));
        assertEquals("inf", PyFormat.fixed(Double.POSITIVE_INFINITY, 2));
    }

    /** Python's repr is the shortest string that reads back; it never needs more digits than Java's. */
    @Test
    void reprReadsBackAndIsNeverLongerThanJava() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            double x = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : (float) random.nextGaussian();
            if (!Double.isFinite(x)) continue;
            String repr = PyFormat.repr(x);
            assertEquals(x, Double.parseDouble(repr), repr);
            assertTrue(significantDigits(repr) <= significantDigits(Double.toString(x)), repr + " vs " + x);
        }
    }

    private static int significantDigits(String s) {
        String mantissa = s.split("[eE]")[0].replace("-", "").replace(".", "").replaceFirst("^0+", "");
        return Math.max(1, mantissa.replaceFirst("0+$", "").length());
    }
}

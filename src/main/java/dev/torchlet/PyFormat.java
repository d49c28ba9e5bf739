package dev.torchlet;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's float formatting, for printing what a PyTorch program prints: {@code repr(x)} / {@code f'{x}'},
 * {@code '{:.Nf}'} and {@code '{:.Ne}'}. Java's {@code Double.toString} and {@code String.format} differ from
 * Python (JDK 17 does not always give the shortest digits, switches to "E" notation at other exponents, and
 * {@code %.3f} rounds the decimal string half-up where Python rounds the exact binary value half-even).
 */
public final class PyFormat {
    private PyFormat() {}

    /**
     * {@code repr(x)}: the shortest digits that read back as x; "0.1", "1e-05", "100.0", "1.5e+16", "-0.0".
     * @param x the value
     * @return the repr
     */
    public static String repr(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String sign = isNegative(x) ? "-" : "";
        if (x == 0) return sign + "0.0";
        BigDecimal shortest = shortest(Math.abs(x));
        String digits = shortest.unscaledValue().toString().replaceFirst("0+$", "");
        // x = 0.d1d2... * 10^decimalPoint, as Python's float_repr_style 'short' counts it.
        int decimalPoint = shortest.precision() - shortest.scale();
        if (decimalPoint <= -4 || decimalPoint > 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int exponent = decimalPoint - 1;
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                    + Math.abs(exponent);
        }
        String plain = new BigDecimal(shortest.unscaledValue(), shortest.scale()).stripTrailingZeros().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /**
     * {@code '{:.Nf}'.format(x)}: the exact value rounded half-even; "-" kept on negative zero.
     * @param x the value
     * @param digits the digits after the point
     * @return the formatted value
     */
    public static String fixed(double x, int digits) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String s = new BigDecimal(Math.abs(x)).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        return isNegative(x) ? "-" + s : s;
    }

    /**
     * {@code '{:.Ne}'.format(x)}: "1.2346e+05", "-1.0000e-05", "0.0000e+00".
     * @param x the value
     * @param digits the digits after the point
     * @return the formatted value
     */
    public static String sci(double x, int digits) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        String mantissaDigits;
        int exponent;
        if (x == 0) {
            mantissaDigits = "0";
            exponent = 0;
        } else {
            BigDecimal rounded = new BigDecimal(Math.abs(x)).round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
            mantissaDigits = rounded.unscaledValue().toString();
            exponent = mantissaDigits.length() - rounded.scale() - 1;
        }
        StringBuilder s = new StringBuilder();
        if (isNegative(x)) s.append('-');
        s.append(mantissaDigits.charAt(0));
        if (digits > 0) {
            s.append('.').append(mantissaDigits, 1, Math.min(mantissaDigits.length(), digits + 1));
            for (int i = mantissaDigits.length(); i < digits + 1; i++) s.append('0');
        }
        int absExponent = Math.abs(exponent);
        s.append('e').append(exponent < 0 ? '-' : '+').append(absExponent < 10 ? "0" : "").append(absExponent);
        return s.toString();
    }

    /**
     * The decimal with the fewest significant digits that reads back as x (x > 0, finite); among those, the
     * nearest to x. Rounding x to p digits gives the nearest p-digit decimal; at a power of two the interval
     * that reads back as x is lopsided, so the neighbour on the wide side is tried as well.
     */
    private static BigDecimal shortest(double x) {
        BigDecimal exact = new BigDecimal(x);
        for (int p = 1; p <= 17; p++) {
            BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == x) return nearest;
            for (RoundingMode side : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal other = exact.round(new MathContext(p, side));
                if (other.doubleValue() == x) return other;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    private static boolean isNegative(double x) {
        return Double.doubleToRawLongBits(x) < 0;
    }
}

package dev.releaseconsole.services.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Numbers with their units as the verdict's sentences show them: three significant digits, percent as percent. */
public final class Quantities {
    private Quantities() {
    }

    /** Whether values of this unit are shares: "%" (values 0-100) or "ratio" (values 0-1, shown as percent). */
    public static boolean isShare(String unit) {
        return "%".equals(trim(unit)) || "ratio".equalsIgnoreCase(trim(unit));
    }

    /** "312 ms", "18.1 req/s", "2.45%" (a ratio of 0.0245 too), "0.35%". */
    public static String format(double value, String unit) {
        String u = trim(unit);
        if ("ratio".equalsIgnoreCase(u)) {
            return number(value * 100) + "%";
        }
        if ("%".equals(u)) {
            return number(value) + "%";
        }
        return u.isEmpty() ? number(value) : number(value) + " " + u;
    }

    /**
     * The canary's change against the baseline: percentage points for shares ("+2.1 pp"), else relative ("+30%"),
     * or the absolute difference with its unit when the baseline is zero.
     */
    public static String change(double canary, double baseline, String unit) {
        String u = trim(unit);
        if (isShare(u)) {
            double points = "ratio".equalsIgnoreCase(u) ? (canary - baseline) * 100 : canary - baseline;
            return signed(points) + " pp";
        }
        if (baseline == 0) {
            return (canary - baseline >= 0 ? "+" : "") + format(canary - baseline, u);
        }
        return signed((canary - baseline) / Math.abs(baseline) * 100) + "%";
    }

    /** "98%" from 98, "2.5%" from 2.5. */
    static String percent(double value) {
        return number(value) + "%";
    }

    /** "+1.2", "-30", "+0" */
    static String signed(double value) {
        String n = number(value);
        return n.startsWith("-") ? n : "+" + n;
    }

    /** Three significant digits, whole numbers from 100 on, no exponent, no trailing zeros. */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%d", Math.round(value));
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static String trim(String unit) {
        return unit == null ? "" : unit.trim();
    }
}

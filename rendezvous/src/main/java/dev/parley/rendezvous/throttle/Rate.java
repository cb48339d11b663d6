package dev.parley.rendezvous.throttle;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many requests of a kind are allowed per period: {@code 30/60s}, {@code 10/1h}, {@code 200/1s}.
 * Up to {@code count} may come at once; then one more per {@code period / count}.
 */
public record Rate(int count, Duration period) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})/(\\d{1,9})(ms|s|m|h)");

    public Rate {
        if (count < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a rate needs a count of at least 1 and a positive period");
        }
    }

    /** Parses {@code COUNT/PERIOD}, the period a number with {@code ms}, {@code s}, {@code m} or {@code h}. */
    public static Rate parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate like 30/60s (count/period, period in ms, s, m or h)");
        }
        long amount = Long.parseLong(m.group(2));
        Duration period = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        return new Rate(Integer.parseInt(m.group(1)), period);
    }

    @Override
    public String toString() {
        return count + "/" + period.toSeconds() + "s";
    }
}

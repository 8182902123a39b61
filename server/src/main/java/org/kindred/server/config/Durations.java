package org.kindred.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as operators write them ("250ms", "10s", "5m", "2h", "7d" or ISO-8601) and prints them back. */
public final class Durations {

    private static final Pattern HUMAN = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    static final String EXPECTED = "expected: e.g. 250ms, 10s, 5m, 2h, 7d or ISO-8601 such as PT10S";

    private Durations() {}

    /**
     * Parses a duration. A bare number is refused unless it is {@code 0}: "60" could mean seconds or milliseconds, and
     * guessing wrong by a factor of 1000 is worse than asking.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what was expected
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        if (trimmed.startsWith("p") || trimmed.startsWith("-p")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (" + EXPECTED + ")");
            }
        }
        Matcher m = HUMAN.matcher(trimmed);
        if (!m.matches()) {
            String hint = trimmed.matches("\\d+") ? " has no unit (" : " is not a duration (";
            throw new IllegalArgumentException("'" + text + "'" + hint + EXPECTED + ")");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new AssertionError(m.group(2));
        };
    }

    /** The shortest human form that is exact ("7d", "90s", "250ms"), ISO-8601 otherwise. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }
}

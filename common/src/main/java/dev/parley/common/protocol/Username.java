package dev.parley.common.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The username rules shared by every part: 1–32 of letters, digits, {@code _ - .}, at least one
 * letter or digit; unique regardless of case, and (at registration) not confusable with another.
 */
public final class Username {
    public static final int MAX_LENGTH = 32;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_LENGTH + "}");
    private static final Pattern LETTER_OR_DIGIT = Pattern.compile("[A-Za-z0-9]");

    private Username() {
    }

    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }

    /** Why {@code name} is not a valid username, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("a username is required");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("username is longer than " + MAX_LENGTH + " characters");
        }
        if (!VALID.matcher(name).matches()) {
            return Optional.of("username may only contain letters, digits, '_', '-' and '.'");
        }
        if (!LETTER_OR_DIGIT.matcher(name).find()) {
            return Optional.of("username needs at least one letter or digit");
        }
        return Optional.empty();
    }

    /**
     * How a name reads at a glance: lower case, with the characters most easily taken for one
     * another made the same ({@code 0}/{@code o}, {@code 1}/{@code i}/{@code l}, {@code rn}/{@code m},
     * {@code vv}/{@code w}). Two names with one skeleton are confusable: {@code aIice}, {@code a1ice}
     * and {@code alice} all read as {@code allce}. (The server stores it; keep the steps in step with
     * its migration.)
     */
    public static String skeleton(String name) {
        return name.toLowerCase(Locale.ROOT)
                .replace('0', 'o').replace('1', 'l').replace('i', 'l')
                .replace("rn", "m").replace("vv", "w");
    }

    /** The case-insensitive identity of a valid username: what uniqueness and lookups compare. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Checks a username field while a message is being decoded. */
    static String require(String field, String value) {
        Fields.require(field, value);
        problem(value).ifPresent(p -> {
            throw new IllegalArgumentException("invalid " + field + ": " + p);
        });
        return value;
    }
}

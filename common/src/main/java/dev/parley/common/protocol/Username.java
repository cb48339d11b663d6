package dev.parley.common.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The username rules shared by every part: 1–32 of letters, digits, {@code _ - .}; unique regardless of case. */
public final class Username {
    public static final int MAX_LENGTH = 32;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_LENGTH + "}");

    private Username() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
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
        return Optional.empty();
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

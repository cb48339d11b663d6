package dev.parley.common.protocol;

/** Field checks run by the message records' constructors, so a decoded message is always complete. */
final class Fields {
    private Fields() {
    }

    static <T> T require(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    static String text(String field, String value) {
        require(field, value);
        if (value.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is empty");
        }
        if (value.length() > Limits.MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("field '" + field + "' is longer than "
                    + Limits.MAX_TEXT_CHARS + " characters");
        }
        return value;
    }

    static String optionalId(String value) {
        if (value != null && value.length() > Limits.MAX_ID_CHARS) {
            throw new IllegalArgumentException("field 'id' is longer than " + Limits.MAX_ID_CHARS + " characters");
        }
        return value;
    }
}

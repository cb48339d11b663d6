package dev.parley.common.protocol;

/** Size limits both sides enforce. The frame limit is checked before any parsing. */
public final class Limits {
    /** Largest protocol frame, in UTF-8 bytes. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Longest message or broadcast text, in characters. */
    public static final int MAX_TEXT_CHARS = 4096;
    /** Longest client-chosen correlation or message id. */
    public static final int MAX_ID_CHARS = 64;
    /** Longest password accepted anywhere (hashing cost stays bounded). */
    public static final int MAX_PASSWORD_CHARS = 1024;

    private Limits() {
    }
}

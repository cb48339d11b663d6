package dev.parley.node.output;

import java.util.List;

/**
 * Text made safe to print on a terminal: every control character is shown instead of obeyed, so
 * no string from the network can move the cursor, clear the screen, set the window title, ring the
 * bell, disguise what follows (bidi overrides) or start a line of its own.
 *
 * <p>The notation: C0 controls and DEL in caret notation, as {@code cat -v} and {@code less} show
 * them ({@code ^[} is ESC, {@code ^G} BEL, {@code ^M} CR, {@code ^J} LF, {@code ^I} tab, {@code ^?}
 * DEL); every other invisible control as {@code <U+XXXX>}: C1 controls (U+0080–U+009F), the line
 * and paragraph separators, bidi and other format characters (U+200E, U+202E, U+2066, U+FEFF…)
 * and unpaired surrogates. The joiners U+200C/U+200D and emoji tag characters stay, since emoji
 * and several scripts need them and they cannot reorder or hide text.
 */
public final class VisibleText {
    private VisibleText() {
    }

    /** Whether {@code codePoint} is shown by its name rather than printed as is. */
    public static boolean isHidden(int codePoint) {
        if (codePoint < 0x20 || codePoint >= 0x7F && codePoint <= 0x9F) {
            return true; // C0, DEL, C1
        }
        if (codePoint < 0xA0) {
            return false;
        }
        return switch (Character.getType(codePoint)) {
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
            case Character.FORMAT -> codePoint != 0x200C && codePoint != 0x200D && !(codePoint >= 0xE0020 && codePoint <= 0xE007F);
            default -> false;
        };
    }

    /** {@code text} with every hidden character shown (the same string if it has none). */
    public static String of(String text) {
        int first = firstHidden(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        appendVisible(out, text, first, Integer.MAX_VALUE);
        return out.toString();
    }

    /** Like {@link #of}, cut to about {@code max} characters with "…": to echo input in a one-line error. */
    public static String clipped(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
        int end = appendVisible(out, text, 0, max);
        return end < text.length() ? out.append('…').toString() : out.toString();
    }

    /** An event's lines, each shown with {@link #of}, joined by line breaks: what a printer prints. */
    public static String lines(List<String> lines) {
        if (lines.size() == 1) {
            return of(lines.get(0));
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(of(line));
        }
        return out.toString();
    }

    private static int firstHidden(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (isHidden(c)) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    /** Appends from {@code start} until {@code out} holds {@code max} characters; returns where it stopped. */
    private static int appendVisible(StringBuilder out, String text, int start, int max) {
        int i = start;
        while (i < text.length() && out.length() < max) {
            int c = text.codePointAt(i);
            if (c < 0x20) {
                out.append('^').append((char) (c + 0x40));
            } else if (c == 0x7F) {
                out.append("^?");
            } else if (isHidden(c)) {
                out.append(String.format("<U+%04X>", c));
            } else {
                out.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return i;
    }
}

package dev.parley.node.shell;

/** Makes untrusted input safe to echo in a one-line error: no control characters, bounded length. */
final class Sanitize {
    private static final int MAX = 40;

    private Sanitize() {
    }

    static String forDisplay(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < MAX; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) || c == '\uFFFD' ? '?' : c);
        }
        return s.length() > MAX ? out + "…" : out.toString();
    }
}

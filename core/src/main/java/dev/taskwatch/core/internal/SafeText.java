package dev.taskwatch.core.internal;

/**
 * Text from a server or a caller made safe for a log line, an exception message or a terminal.
 *
 * <p>Escaped as {@code \}{@code uXXXX} (lower-case hex, one escape per UTF-16 unit): control characters (C0 with CR, LF,
 * tab and ESC, DEL, and C1 such as NEL and the 8-bit CSI), format characters (bidi embeddings, overrides, isolates and
 * marks, U+202A–U+202E, U+2066–U+2069, U+200E, U+200F; zero-width space, joiners, word joiner and byte-order mark,
 * U+200B–U+200D, U+2060, U+FEFF; the invisible tag characters), line and paragraph separators, and lone surrogates.
 * So a status of {@code "running\r\n[main] INFO forged"} stays on one line, an ANSI escape sequence never reaches a
 * terminal, and text can be neither reordered nor hidden. Everything else (accents, other scripts, emoji) is kept.
 *
 * <p>In an {@code internal} package: public only so that taskwatch's own modules (the client, the watcher, the
 * {@code taskwatch} command, the Temporal activities) print server text by one rule. Not a supported API: it may
 * change in any release and is outside the compatibility check.
 */
public final class SafeText {

    private SafeText() {}

    /**
     * {@code text} with every character that could forge, reorder or hide output escaped, cut after {@code maxChars}
     * characters of the input (never inside a surrogate pair) with its full length noted, as in {@code …(1234
     * chars)}. Text that needs neither is returned as it is.
     *
     * @param text the server's or caller's text
     * @param maxChars how many characters of {@code text} to keep, at least 0
     * @throws IllegalArgumentException if {@code maxChars} is negative
     */
    public static String escape(String text, int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must be at least 0, got " + maxChars);
        }
        int end = Math.min(text.length(), maxChars);
        if (end > 0
                && end < text.length()
                && Character.isHighSurrogate(text.charAt(end - 1))
                && Character.isLowSurrogate(text.charAt(end))) {
            end--; // keep a supplementary character whole or not at all
        }
        if (end == text.length() && isSafe(text)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(end + 16);
        for (int i = 0; i < end; ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (isUnsafe(cp)) {
                for (int j = i; j < i + n; j++) {
                    // Not String.format: no locale lookup on an event loop.
                    String hex = Integer.toHexString(text.charAt(j));
                    sb.append("\\u").append("0000", hex.length(), 4).append(hex);
                }
            } else {
                sb.append(text, i, i + n);
            }
            i += n;
        }
        if (end < text.length()) {
            sb.append("…(").append(text.length()).append(" chars)");
        }
        return sb.toString();
    }

    private static boolean isSafe(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isUnsafe(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** A code point that moves the cursor, changes how text is shown, or shows nothing. */
    private static boolean isUnsafe(int cp) {
        if (cp >= 0x20 && cp < 0x7f) {
            return false; // printable ASCII, the common case
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SURROGATE: // a lone one: codePointAt joins the halves of a pair
                return true;
            default:
                // Named explicitly too, whatever the Unicode version of the JDK says about them.
                return (cp >= 0x200b && cp <= 0x200f)
                        || (cp >= 0x202a && cp <= 0x202e)
                        || (cp >= 0x2060 && cp <= 0x2069)
                        || cp == 0xfeff;
        }
    }
}

package dev.taskwatch.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTextTest {

    /** Every character that can forge a line, drive a terminal, reorder or hide text. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "\r",
                "\n",
                "\t",
                "\u0000",
                "\u001b",
                "\u007f", // C0, ESC, DEL
                "\u0085",
                "\u009b", // NEL, the 8-bit CSI
                "\u2028",
                "\u2029", // line and paragraph separators
                "\u202a",
                "\u202b",
                "\u202c",
                "\u202d",
                "\u202e", // bidi embeddings and overrides
                "\u2066",
                "\u2067",
                "\u2068",
                "\u2069", // bidi isolates
                "\u200e",
                "\u200f", // bidi marks
                "\u200b",
                "\u200c",
                "\u200d",
                "\u2060",
                "\ufeff", // zero-width characters
                "\ud800",
                "\udfff" // lone surrogates
            })
    void escapesEveryUnsafeCharacter(String unsafe) {
        String hex = String.format("%04x", (int) unsafe.charAt(0));

        String shown = SafeText.escape("a" + unsafe + "b", 100);

        assertThat(shown).isEqualTo("a\\u" + hex + "b");
        assertThat(shown.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "running",
                "café",
                "Zürich — 東京",
                "emoji \ud83d\ude80 ok",
                "back\\slash",
                "quote\"d",
                "",
            })
    void keepsOrdinaryTextAsItIs(String text) {
        assertThat(SafeText.escape(text, 100)).isSameAs(text);
    }

    @Test
    void escapesHostileStrings() {
        // An ANSI colour and erase sequence: the ESC is escaped, the rest is harmless text.
        assertThat(SafeText.escape("x\u001b[31mred\u001b[0m\u001b[2K", 100))
                .isEqualTo("x\\u001b[31mred\\u001b[0m\\u001b[2K");
        // A forged log line.
        assertThat(SafeText.escape("running\r\n[main] INFO all good", 100))
                .isEqualTo("running\\u000d\\u000a[main] INFO all good");
        // "exe.txt" shown reversed by a right-to-left override.
        assertThat(SafeText.escape("report\u202Etxt.exe", 100)).isEqualTo("report\\u202etxt.exe");
        // A tag character (invisible, supplementary): both halves escaped.
        assertThat(SafeText.escape("ok\udb40\udc41", 100)).isEqualTo("ok\\udb40\\udc41");
        // A lone low surrogate in the middle and a lone high one at the end.
        assertThat(SafeText.escape("a\udc00b\ud800", 100)).isEqualTo("a\\udc00b\\ud800");
    }

    @Test
    void cutsAfterTheLimitAndSaysHowLongTheTextWas() {
        assertThat(SafeText.escape("abcdef", 3)).isEqualTo("abc…(6 chars)");
        assertThat(SafeText.escape("abcdef", 0)).isEqualTo("…(6 chars)");
        assertThat(SafeText.escape("abc", 3)).isEqualTo("abc");
        // Never half a supplementary character.
        assertThat(SafeText.escape("ab\ud83d\ude80", 3)).isEqualTo("ab…(4 chars)");
        // The cut comes before escaping: a long hostile text cannot grow without bound.
        assertThat(SafeText.escape("\n".repeat(10), 2)).isEqualTo("\\u000a\\u000a…(10 chars)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nb", "\u001b[2J", "\u202e\u200b", "plain"})
    void escapingTwiceChangesNothing(String text) {
        String once = SafeText.escape(text, 100);

        assertThat(SafeText.escape(once, 100)).isEqualTo(once);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void negativeLimitIsRefused(int limit) {
        assertThatThrownBy(() -> SafeText.escape("x", limit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxChars");
    }
}

package dev.parley.node.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Control characters are shown by name, each kind in one notation; ordinary text passes untouched. */
class VisibleTextTest {
    @Test
    void c0ControlsAndDelAreShownInCaretNotation() {
        assertEquals("^[[2J^[]0;title^G^Mbob^Jforged^I^@^?", VisibleText.of("\u001b[2J\u001b]0;title\u0007\rbob\nforged\t\u0000\u007f"));
    }

    @Test
    void c1ControlsSeparatorsAndBidiOverridesAreShownByCodePoint() {
        assertEquals("<U+009B>2J<U+0085><U+2028><U+2029>", VisibleText.of("\u009b2J\u0085\u2028\u2029"));
        assertEquals("evil<U+202E>txt.exe<U+202C>", VisibleText.of("evil\u202etxt.exe\u202c"));
        assertEquals("<U+200E><U+200F><U+2066><U+2067><U+2068><U+2069><U+202A><U+202B><U+202D>",
                VisibleText.of("\u200e\u200f\u2066\u2067\u2068\u2069\u202a\u202b\u202d"));
        assertEquals("<U+200B><U+FEFF><U+061C>", VisibleText.of("\u200b\ufeff\u061c"));
        assertEquals("<U+D800>x", VisibleText.of("\ud800x"), "an unpaired surrogate");
    }

    @Test
    void ordinaryTextIsReturnedAsIs() {
        String text = "héllo wörld, ça va? 日本語 👨‍👩‍👧 🏴󠁧󠁢󠁳󠁣󠁴󠁿 ‌ x^y <U+0041> \\u001b";
        assertSame(text, VisibleText.of(text), "no copy when nothing is hidden");
    }

    @Test
    void clippedShowsControlsAndCutsLongInput() {
        assertEquals("a^[b", VisibleText.clipped("a\u001bb", 40));
        assertEquals("x".repeat(40) + "…", VisibleText.clipped("x".repeat(100), 40));
        assertEquals("xxx^[…", VisibleText.clipped("xxx\u001b" + "y".repeat(10), 4));
    }

    @Test
    void linesAreJoinedAndALineBreakInsideOneIsShown() {
        assertEquals("one\ntwo^Jthree", VisibleText.lines(List.of("one", "two\nthree")));
    }
}

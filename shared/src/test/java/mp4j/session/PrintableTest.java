package mp4j.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PrintableTest
{
    @Test
    void controlCharactersBecomePythonsEscapes()
    {
        assertEquals("a\\x1b[2Jb\\x07", Printable.escape("a\u001b[2Jb\u0007"));
        assertEquals("line\\nforged\\r\\t", Printable.escape("line\nforged\r\t"));
        assertEquals("nul\\x00 del\\x7f csi\\x9b", Printable.escape("nul\u0000 del\u007f csi\u009b"));
        assertEquals("\\u202eexe.txt \\u2066x\\u2069 \\u2028", Printable.escape("\u202eexe.txt \u2066x\u2069 \u2028"));
    }

    @Test
    void printableTextIsTheSameString()
    {
        final String text = "MainProcess é 日本 psm_01ab \\x41";
        assertSame(text, Printable.escape(text), "no copy when there is nothing to escape");
        assertEquals("null", Printable.escape(null));
    }

    @Test
    void messagesKeepTheirLinesButNotTheirEscapes()
    {
        assertEquals("first \\x1b[31m\nsecond\\x07", Printable.escapeKeepingLines("first \u001b[31m\nsecond\u0007"));
        assertEquals("\n", Printable.escapeKeepingLines("\n"));
    }
}

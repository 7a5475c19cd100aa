package org.popbridge.proxy.upstream.imap.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.proxy.testing.CodecInput.latin1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImapStringsTest {

    private static final StringSyntax BASE = StringSyntax.BASE;
    private static final StringSyntax UTF8 = new StringSyntax(true, LiteralSupport.SYNCHRONIZING_ONLY);
    private static final StringSyntax PLUS = new StringSyntax(false, LiteralSupport.LITERAL_PLUS);
    private static final StringSyntax MINUS = new StringSyntax(false, LiteralSupport.LITERAL_MINUS);

    private static String wire(ImapString string) {
        return new String(string.wire(), UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "alice@example.com", "a.b-c_d+e", "p4ss!#$&'+,-./:;<=>?@^_`|~", "[brackets]", "x]"})
    void atomWhenEveryCharacterAllows(String value) {
        assertThat(ImapStrings.astring(value, BASE)).isEqualTo(new ImapString.Atom(value));
        assertThat(wire(ImapStrings.astring(value, BASE))).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "50%", "a*", "(x)", "{5}", "tab\there", "del\u007f", "ctl\u0001"})
    void quotedWhenAnAtomCannotHoldIt(String value) {
        assertThat(ImapStrings.astring(value, BASE)).isEqualTo(new ImapString.Quoted(value));
        assertThat(wire(ImapStrings.astring(value, BASE))).isEqualTo("\"" + value + "\"");
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        ImapString string = ImapStrings.astring("say \"hi\" C:\\dir\\", BASE);
        assertThat(string).isInstanceOf(ImapString.Quoted.class);
        assertThat(wire(string)).isEqualTo("\"say \\\"hi\\\" C:\\\\dir\\\\\"");
        assertThat(wire(ImapStrings.astring("\"", BASE))).isEqualTo("\"\\\"\"");
        assertThat(wire(ImapStrings.astring("\\", BASE))).isEqualTo("\"\\\\\"");
    }

    @Test
    void stringIsNeverAnAtom() {
        assertThat(ImapStrings.string("INBOX", BASE)).isEqualTo(new ImapString.Quoted("INBOX"));
    }

    @Test
    void eightBitGoesAsALiteralOfUtf8OctetsUnlessUtf8IsEnabled() {
        String password = "pässwörd";
        ImapString literal = ImapStrings.astring(password, BASE);
        assertThat(literal).isEqualTo(new ImapString.Literal(password.getBytes(UTF_8), true));
        assertThat(latin1(literal.wire())).isEqualTo("{10}\r\np\u00c3\u00a4ssw\u00c3\u00b6rd");
        assertThat(ImapStrings.astring(password, UTF8)).isEqualTo(new ImapString.Quoted(password));
        assertThat(wire(ImapStrings.astring(password, UTF8))).isEqualTo("\"pässwörd\"");
        assertThat(ImapStrings.astring("日本 😀", UTF8)).isInstanceOf(ImapString.Quoted.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\r\nbreak", "cr\r", "\nlf", "x\r\ny"})
    void crOrLfForcesALiteralEvenWithUtf8(String value) {
        assertThat(ImapStrings.astring(value, BASE)).isEqualTo(new ImapString.Literal(value.getBytes(UTF_8), true));
        assertThat(ImapStrings.astring(value, UTF8)).isEqualTo(new ImapString.Literal(value.getBytes(UTF_8), true));
        assertThat(latin1(ImapStrings.astring(value, BASE).wire())).isEqualTo("{" + value.length() + "}\r\n" + value);
    }

    @Test
    void nulCannotBeSentAndTheValueStaysOutOfTheMessage() {
        assertThatThrownBy(() -> ImapStrings.astring("sec\0ret", BASE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("sec")
                .hasMessageContaining("NUL");
    }

    @Test
    void unpairedSurrogateIsRefused() {
        assertThatThrownBy(() -> ImapStrings.astring("x\ud800", UTF8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImapStrings.astring("x\ud800", BASE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void octetsAClientSentGoAsTheyAreNeverEncodedAgain() {
        assertThat(ImapStrings.astring(octets("alice"), BASE)).isEqualTo(new ImapString.Atom("alice"));
        assertThat(ImapStrings.astring(octets("two words"), BASE)).isEqualTo(new ImapString.Quoted("two words"));
        // "caréol" in UTF-8: a literal of its 7 octets, or once UTF8=ACCEPT is on, quoted as they are.
        byte[] utf8 = octets("car\u00c3\u00a9ol");
        assertThat(ImapStrings.astring(utf8, BASE)).isEqualTo(new ImapString.Literal(utf8, true));
        assertThat(latin1(ImapStrings.astring(utf8, BASE).wire())).isEqualTo("{7}\r\ncar\u00c3\u00a9ol");
        assertThat(latin1(ImapStrings.astring(utf8, UTF8).wire())).isEqualTo("\"car\u00c3\u00a9ol\"");
        // "päss" in ISO-8859-1 is not UTF-8: never quoted, even with UTF8=ACCEPT.
        byte[] latin1 = octets("p\u00e4ss");
        assertThat(ImapStrings.astring(latin1, UTF8)).isEqualTo(new ImapString.Literal(latin1, true));
        assertThat(ImapStrings.astring(latin1, PLUS)).isEqualTo(new ImapString.Literal(latin1, false));
        assertThatThrownBy(() -> ImapStrings.astring(octets("sec\0ret"), BASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("sec");
    }

    /** The octets of {@code chars}, one char each. */
    private static byte[] octets(String chars) {
        return chars.getBytes(ISO_8859_1);
    }

    @Test
    void literalPlusMakesEveryLiteralNonSynchronizing() {
        String big = "\u00e9".repeat(10_000);
        ImapString literal = ImapStrings.astring(big, PLUS);
        assertThat(literal).isEqualTo(new ImapString.Literal(big.getBytes(UTF_8), false));
        assertThat(((ImapString.Literal) literal).announcement()).isEqualTo("{20000+}");
        assertThat(latin1(ImapStrings.astring("a\rb", PLUS).wire())).isEqualTo("{3+}\r\na\rb");
    }

    @Test
    void literalMinusOnlyUpTo4096Octets() {
        assertThat(((ImapString.Literal) ImapStrings.astring("\n".repeat(4096), MINUS)).synchronizing()).isFalse();
        assertThat(((ImapString.Literal) ImapStrings.astring("\n".repeat(4097), MINUS)).synchronizing()).isTrue();
    }

    @Test
    void syntaxFollowsTheCapabilities() {
        assertThat(StringSyntax.of(Capabilities.parse("IMAP4rev1 LITERAL+ LITERAL-"), false))
                .isEqualTo(new StringSyntax(false, LiteralSupport.LITERAL_PLUS));
        assertThat(StringSyntax.of(Capabilities.parse("IMAP4rev1 literal-"), true))
                .isEqualTo(new StringSyntax(true, LiteralSupport.LITERAL_MINUS));
        assertThat(StringSyntax.of(Capabilities.parse("IMAP4rev2"), false).literals()).isEqualTo(LiteralSupport.LITERAL_MINUS);
        assertThat(StringSyntax.of(Capabilities.parse("IMAP4rev1 UTF8=ACCEPT"), false)).isEqualTo(StringSyntax.BASE);
    }

    @Test
    void toStringNeverShowsTheValue() {
        assertThat(ImapStrings.astring("hunter2", BASE).toString()).doesNotContain("hunter2");
        assertThat(ImapStrings.astring("hunter 2", BASE).toString()).doesNotContain("hunter");
        assertThat(ImapStrings.astring("hunter\r\n2", BASE).toString()).doesNotContain("hunter");
    }
}

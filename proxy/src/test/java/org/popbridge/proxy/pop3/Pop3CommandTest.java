package org.popbridge.proxy.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.proxy.core.session.MaskedLine;

class Pop3CommandTest {

    @Test
    void keywordIsUpperCasedAndArgumentsSplitOnSpaces() {
        Pop3Command command = new Pop3Command("top 1  10");
        assertThat(command.keyword()).isEqualTo("TOP");
        assertThat(command.argument()).isEqualTo("1  10");
        assertThat(command.arguments()).containsExactly("1", "10");
        assertThat(new Pop3Command("STAT").argument()).isEmpty();
        assertThat(new Pop3Command("STAT").arguments()).isEmpty();
        assertThat(new Pop3Command("").keyword()).isEmpty();
    }

    @Test
    void commandsWithoutSecretsAreShownAsSent() {
        assertThat(new Pop3Command("USER alice@example.org")).hasToString("USER alice@example.org");
        assertThat(new Pop3Command("RETR 1").masked()).isEqualTo("RETR 1");
        assertThat(new Pop3Command("AUTH PLAIN").masked()).isEqualTo("AUTH PLAIN");
        assertThat(new Pop3Command("AUTH").masked()).isEqualTo("AUTH");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "PASS s3cr3t                       | PASS ****",
        "pass s3cr3t                       | PASS ****",
        "PASS  s3cr3t with spaces          | PASS ****",
        "PASS                              | PASS",
        "APOP mrose c4c9334bac560ecc979e58001b3e22fb | APOP mrose ****",
        "apop mrose s3cr3t                 | APOP mrose ****",
        "APOP c4c9334bac560ecc979e58001b3e22fb | APOP ****",
        "AUTH PLAIN AGFsaWNlAHMzY3IzdA==   | AUTH PLAIN ****",
        "auth plain  AGFsaWNlAHMzY3IzdA==  | AUTH plain ****",
        "AUTH dGVzdA==                    | AUTH ****",
        "AUTH AGFsaWNlAHMzY3IzdA          | AUTH ****",
    })
    void secretsAreMaskedInLogs(String line, String masked) {
        Pop3Command command = new Pop3Command(line);
        assertThat(command.masked()).isEqualTo(masked);
        assertThat(command).hasToString(masked);
        assertThat(command.toString()).doesNotContain("s3cr3t", "AGFsaWNlAHMzY3IzdA==", "c4c9334bac560ecc979e58001b3e22fb");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"PASS\ts3cr3t\"",
        "\" PASS s3cr3t\"",
        "\"PASS\ts3cr3t\ttoo\"",
        "\"APOP mrose\ts3cr3t\"",
        "\"APOP\tmrose s3cr3t\"",
        "\"AUTH PLAIN\ts3cr3t\"",
        "\"AUTH\tPLAIN s3cr3t\"",
        "\"PASSs3cr3t\"",
    })
    void secretsAreMaskedWhateverTheWhitespace(String line) {
        // The session logs every command, including the malformed ones it then refuses.
        assertThat(new Pop3Command(line).toString()).doesNotContain("s3cr3t");
    }

    /** Issue 12: whatever glues PASS to the password, the keyword is PASS and the rest is masked. */
    @ParameterizedTest(name = "PASS [{0}] password")
    @ValueSource(strings = {"\t", "\u000b", "\f", "\u00a0", ":", "\u0000", "\u0085", "\u3000", ""})
    void everythingAfterPassIsMasked(String separator) {
        MaskedLine shown = Pop3Command.MASK.command("PASS" + separator + "hunter2");
        assertThat(shown).isEqualTo(new MaskedLine("PASS", "****"));
        assertThat(Pop3Command.MASK.command("pass" + separator + "two words")).hasToString("PASS ****");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"\t", "\u000b", "\f", "\u00a0", ":"})
    void apopDigestsAndSaslResponsesAreMaskedWhateverTheSeparator(String separator) {
        assertThat(Pop3Command.MASK.command("APOP" + separator + "mrose" + separator + "c4c9334bac560ecc"))
                .hasToString("APOP mrose ****");
        assertThat(Pop3Command.MASK.command("AUTH" + separator + "PLAIN" + separator + "AGFsaWNl"))
                .hasToString("AUTH PLAIN ****");
    }

    /** A line that is no command shows only its keyword, if that looks like one, else only its length. */
    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "hunter2                      | <unrecognised line of 7 octets>",
        "Tr0ub4dor&3 horse            | <unrecognised line of 17 octets>",
        "AGFsaWNlAGh1bnRlcjI=         | <unrecognised line of 20 octets>",
        "xtnd xmit secret-arguments   | XTND",
        "GET / HTTP/1.1               | GET",
        "\"\"                         | <unrecognised line of 0 octets>",
        "averyveryverylongword        | <unrecognised line of 21 octets>",
        "user alice                   | USER alice",
        "top 1  10                    | TOP 1  10",
    })
    void linesThatAreNoCommandShowNoArguments(String line, String shown) {
        assertThat(Pop3Command.MASK.command(line)).hasToString(shown);
    }

    @Test
    void maskingDoesNotChangeWhatIsSentUpstream() {
        Pop3Command command = new Pop3Command("PASS s3cr3t");
        assertThat(command.line()).isEqualTo("PASS s3cr3t");
        assertThat(command.argument()).isEqualTo("s3cr3t");
    }
}

package org.popbridge.proxy.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        "PASS s3cr3t                       | PASS ***",
        "pass s3cr3t                       | PASS ***",
        "PASS  s3cr3t with spaces          | PASS ***",
        "APOP mrose c4c9334bac560ecc979e58001b3e22fb | APOP mrose ***",
        "apop mrose s3cr3t                 | APOP mrose ***",
        "AUTH PLAIN AGFsaWNlAHMzY3IzdA==   | AUTH PLAIN ***",
        "auth plain  AGFsaWNlAHMzY3IzdA==  | AUTH plain ***",
        "AUTH dGVzdA==                    | AUTH ***",
        "AUTH AGFsaWNlAHMzY3IzdA          | AUTH ***",
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

    @Test
    void maskingDoesNotChangeWhatIsSentUpstream() {
        Pop3Command command = new Pop3Command("PASS s3cr3t");
        assertThat(command.line()).isEqualTo("PASS s3cr3t");
        assertThat(command.argument()).isEqualTo("s3cr3t");
    }
}

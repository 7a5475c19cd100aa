package org.popbridge.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SaslTest {

    @Test
    void xoauth2MatchesGooglesExample() {
        // developers.google.com/gmail/imap/xoauth2-protocol, "Initial client response".
        assertThat(Xoauth2.initialResponse("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"))
                .isEqualTo("dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
    }

    @Test
    void oauthBearerMatchesTheRfcExample() {
        // RFC 7628 4.1.
        String response = OAuthBearer.initialResponse("user@example.com", "server.example.com", 143,
                "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");

        assertThat(decode(response)).isEqualTo("n,a=user@example.com,\u0001host=server.example.com\u0001port=143"
                + "\u0001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\u0001\u0001");
    }

    @Test
    void oauthBearerEscapesTheUserAsASaslName() {
        assertThat(decode(OAuthBearer.initialResponse("a=b,c", "h", 993, "tok"))).startsWith("n,a=a=3Db=2Cc,\u0001");
    }

    @Test
    void aFieldThatWouldForgeTheFramingIsRefused() {
        assertThatThrownBy(() -> Xoauth2.initialResponse("alice\u0001auth=Bearer x", "tok"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Xoauth2.initialResponse("alice", "at-Zq81\u0001\u0001"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("at-Zq81");
        assertThatThrownBy(() -> OAuthBearer.initialResponse("alice", "host\r\nA1 LOGOUT", 143, "tok"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theServersErrorChallengeIsReadForTheLog() {
        String challenge = Base64.getEncoder().encodeToString(
                "{\"status\":\"invalid_token\",\"scope\":\"mail\",\"schemes\":\"bearer\"}".getBytes(StandardCharsets.UTF_8));

        SaslErrorChallenge error = SaslErrorChallenge.parse(challenge).orElseThrow();

        assertThat(error.status()).isEqualTo("invalid_token");
        assertThat(error.describe()).isEqualTo("status invalid_token, scope mail, schemes bearer");
        // Gmail's form: {"status":"400","schemes":"Bearer","scope":"https://mail.google.com/"}
        assertThat(SaslErrorChallenge.parse("eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ=="))
                .get().extracting(SaslErrorChallenge::status).isEqualTo("400");
    }

    @Test
    void whatIsNotAChallengeGivesNothing() {
        assertThat(SaslErrorChallenge.parse("not base64!")).isEmpty();
        assertThat(SaslErrorChallenge.parse(Base64.getEncoder().encodeToString("[1]".getBytes(StandardCharsets.UTF_8)))).isEmpty();
        assertThat(SaslErrorChallenge.parse("A".repeat(SaslErrorChallenge.MAX_LENGTH + 4))).isEmpty();
        String control = Base64.getEncoder().encodeToString("{\"status\":\"x\\u001b[2J\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(SaslErrorChallenge.parse(control).orElseThrow().status()).isEqualTo("x?[2J");
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}

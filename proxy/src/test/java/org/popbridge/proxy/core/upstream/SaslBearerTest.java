package org.popbridge.proxy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.core.session.Credentials;

/** The bearer SASL messages, byte for byte as their specifications give them, and the secrets they hide. */
class SaslBearerTest {

    private static final AccessToken TOKEN = new AccessToken("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");

    private static String decoded(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.ISO_8859_1);
    }

    @Test
    void xoauth2IsUserAndBearerTokenBetweenCtrlAs() {
        assertThat(decoded(SaslBearer.XOAUTH2.initialResponse("someuser@example.com", TOKEN, "imap.example.com", 993)))
                .isEqualTo("user=someuser@example.com\u0001auth=Bearer " + TOKEN.value() + "\u0001\u0001");
        assertThat(SaslBearer.XOAUTH2.errorAnswer()).isEmpty();
    }

    /** RFC 7628 section 4.1's example, with the user given in the GS2 header. */
    @Test
    void oauthbearerIsTheRfc7628Message() {
        assertThat(decoded(SaslBearer.OAUTHBEARER.initialResponse("user@example.com", TOKEN, "server.example.com", 143)))
                .isEqualTo("n,a=user@example.com,\u0001host=server.example.com\u0001port=143\u0001auth=Bearer "
                        + TOKEN.value() + "\u0001\u0001");
        // Section 3.2.3: the client ends a failed exchange with a single ^A.
        assertThat(decoded(SaslBearer.OAUTHBEARER.errorAnswer())).isEqualTo("\u0001");
    }

    @Test
    void aCommaOrEqualsInTheUserIsEscapedInTheGs2Header() {
        assertThat(decoded(SaslBearer.OAUTHBEARER.initialResponse("a=b,c", TOKEN, "h", 1)))
                .startsWith("n,a=a=3Db=2Cc,\u0001");
    }

    /** The user name's octets go as the client sent them (one char each), not transcoded. */
    @Test
    void aNonAsciiAccountNameGoesAsUtf8AsSaslNamesDo() {
        // The account comes from the token store as text (RFC 7628 and XOAUTH2 take UTF-8).
        byte[] octets = Base64.getDecoder().decode(SaslBearer.XOAUTH2.initialResponse("j\u00f6rg", TOKEN, "h", 1));
        assertThat(octets[6]).isEqualTo((byte) 0xc3);
        assertThat(octets[7]).isEqualTo((byte) 0xb6);
    }

    @Test
    void autoPrefersOauthbearerWhereOfferedElseXoauth2() {
        assertThat(BearerMechanism.AUTO.choose(Set.of("PLAIN", "OAUTHBEARER", "XOAUTH2")::contains))
                .isEqualTo(SaslBearer.OAUTHBEARER);
        assertThat(BearerMechanism.AUTO.choose(Set.of("PLAIN", "XOAUTH2")::contains)).isEqualTo(SaslBearer.XOAUTH2);
        assertThat(BearerMechanism.AUTO.choose(Set.<String>of()::contains)).isEqualTo(SaslBearer.XOAUTH2);
        assertThat(BearerMechanism.XOAUTH2.choose(Set.of("OAUTHBEARER")::contains)).isEqualTo(SaslBearer.XOAUTH2);
        assertThat(BearerMechanism.OAUTHBEARER.choose(Set.of("XOAUTH2")::contains)).isEqualTo(SaslBearer.OAUTHBEARER);
    }

    @Test
    void noLoginValuePrintsItsSecret() {
        UpstreamLogin bearer = new UpstreamLogin.Bearer("alice@example.com", TOKEN);
        UpstreamLogin password = new UpstreamLogin.Password(Credentials.of("alice", "Tr0ub4dor&3"));

        assertThat(bearer.toString()).contains("alice@example.com").doesNotContain(TOKEN.value());
        assertThat(password.toString()).contains("alice").doesNotContain("Tr0ub4dor&3");
        assertThat(new UpstreamAuthException(UpstreamAuthFailure.TEMPORARY, "no answer").failure())
                .isEqualTo(UpstreamAuthFailure.TEMPORARY);
    }

    /** The password authenticator answers at once, with the client's credentials under the route's name. */
    @Test
    void passwordModeRelaysTheClientsCredentialsUnderTheRoutesName() {
        Credentials given = new Credentials("admin", "alice@example.com", "pw", true);

        UpstreamLogin login = UpstreamAuthenticator.PASSWORD.authenticate(given, "alice").getNow(null);

        assertThat(login).isEqualTo(new UpstreamLogin.Password(new Credentials("admin", "alice", "pw", true)));
    }
}

package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.oauth.Enrolment;
import org.popbridge.oauth.GrantKind;
import org.popbridge.oauth.OAuthClient;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.testing.MutableClock;
import org.popbridge.oauth.testing.StandInIdentityProvider;

/**
 * The authorization-code flow with a pasted redirect URL, against the stand-in's provider (a
 * config's generic provider has no authorization URL, so this is the flow on its own).
 */
class CodeFlowTest {
    private static final URI REDIRECT = URI.create("http://localhost:8765/callback");

    private final MutableClock clock = new MutableClock(Instant.now());
    private StandInIdentityProvider idp;
    private final OAuthClient client = OAuthClient.create(OAuthClient.DEFAULT_TIMEOUT);

    @BeforeEach
    void start() throws Exception {
        idp = StandInIdentityProvider.start(clock);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    @Test
    void thePastedRedirectIsTradedForARefreshTokenWithPkce() throws Exception {
        StringWriter out = new StringWriter();
        CodeFlow flow = new CodeFlow(REDIRECT, new PrintWriter(out, true), new Browser(out, "carol"));

        Enrolment enrolment = flow.run(client, idp.provider(), "carol");

        assertThat(enrolment.kind()).isEqualTo(GrantKind.DELEGATED);
        assertThat(enrolment.account()).isEqualTo("carol");
        assertThat(idp.isRefreshTokenValid(enrolment.refreshToken().orElseThrow())).isTrue();
        assertThat(idp.grants("carol", "authorization_code")).isEqualTo(1);
        assertThat(out.toString()).contains("open this URL in a browser").contains(idp.authorizationUrl().toString())
                .doesNotContain(enrolment.refreshToken().get());
    }

    @Test
    void aRedirectOfAnotherRequestIsRefused() {
        String forged = REDIRECT + "?code=ac-forged&state=not-this-one\n";
        CodeFlow flow = new CodeFlow(REDIRECT, new PrintWriter(new StringWriter(), true), new StringReader(forged));

        assertThatThrownBy(() -> flow.run(client, idp.provider(), "carol")).isInstanceOf(OAuthException.class)
                .hasMessageContaining("state");
    }

    @Test
    void nothingPastedOrTooMuchIsBadInput() {
        CodeFlow empty = new CodeFlow(REDIRECT, new PrintWriter(new StringWriter(), true), new StringReader(""));
        CodeFlow endless = new CodeFlow(REDIRECT, new PrintWriter(new StringWriter(), true),
                new StringReader("x".repeat(CodeFlow.MAX_PASTED_CHARS + 1)));

        assertThatThrownBy(() -> empty.run(client, idp.provider(), "carol")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no address was pasted");
        assertThatThrownBy(() -> endless.run(client, idp.provider(), "carol")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("longer than");
    }

    /** The user: opens the printed URL, signs in, and pastes the address the browser lands on. */
    private final class Browser extends Reader {
        private final StringWriter printed;
        private final String user;
        private Reader pasted;

        Browser(StringWriter printed, String user) {
            this.printed = printed;
            this.user = user;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws java.io.IOException {
            if (pasted == null) {
                String url = printed.toString().lines().filter(line -> line.startsWith(idp.authorizationUrl().toString()))
                        .findFirst().orElseThrow();
                pasted = new StringReader(idp.authorize(URI.create(url), user) + "\n");
            }
            return pasted.read(buffer, offset, length);
        }

        @Override
        public void close() {
        }
    }
}

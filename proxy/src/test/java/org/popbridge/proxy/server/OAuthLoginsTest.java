package org.popbridge.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.oauth.Enrolment;
import org.popbridge.oauth.StoreKey;
import org.popbridge.oauth.TokenEvents;
import org.popbridge.oauth.TokenStore;
import org.popbridge.oauth.testing.MutableClock;
import org.popbridge.oauth.testing.StandInIdentityProvider;
import org.popbridge.proxy.config.OAuthProviderConfig;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.core.upstream.UpstreamAuthException;
import org.popbridge.proxy.core.upstream.UpstreamAuthFailure;
import org.popbridge.proxy.core.upstream.UpstreamAuthenticator;
import org.popbridge.proxy.core.upstream.UpstreamLogin;

/**
 * auth: oauth2 with the real token store, cache and client, against the stand-in identity
 * provider: the local password unlocks the enrolled token, a wrong one does not, a revoked
 * refresh token asks for re-enrolment, and refreshes are counted.
 */
class OAuthLoginsTest {

    private static final String LOCAL_PASSWORD = "scanner-local-pw";

    @TempDir
    Path stateDir;

    private final MutableClock clock = MutableClock.startingAt("2026-12-05T08:00:00Z");
    private final AtomicInteger refreshes = new AtomicInteger();
    private StandInIdentityProvider idp;
    private OAuthLogins logins;
    private UpstreamAuthenticator authenticator;

    @BeforeEach
    void enrolAlice() throws Exception {
        idp = StandInIdentityProvider.start(clock);
        idp.setAccessTokenLifetime(Duration.ofHours(1));
        TokenStore.open(OAuthLogins.tokenDirectory(stateDir)).enrol("alice", new StoreKey.LocalPassword(LOCAL_PASSWORD),
                Enrolment.delegated("generic", "alice@example.com", idp.issueRefreshToken("alice")));
        // PATH is set wherever the tests run, so the config takes it as the secret's variable;
        // the secret itself is the stand-in's, given below as the environment would.
        OAuthProviderConfig config = OAuthProviderConfig.of("generic", idp.tokenUrl().toString(),
                idp.deviceAuthorizationUrl().toString(), null, null, StandInIdentityProvider.CLIENT_ID, "PATH", null,
                List.of(StandInIdentityProvider.SCOPE), null);
        logins = new OAuthLogins(OAuthLogins.tokenDirectory(stateDir), clock);
        logins.countInto(new TokenEvents() {
            @Override
            public void refreshed(String user, boolean rotated) {
                refreshes.incrementAndGet();
            }
        });
        authenticator = logins.authenticator(config, ClientSecret.of(config, name -> idp.clientSecret()));
    }

    @AfterEach
    void stop() {
        logins.close();
        idp.close();
    }

    private UpstreamLogin login(String user, String password) throws Exception {
        return authenticator.authenticate(Credentials.of(user, password), user).get(20, TimeUnit.SECONDS);
    }

    private UpstreamAuthFailure refusal(String user, String password) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> login(user, password));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(UpstreamAuthException.class);
        return ((UpstreamAuthException) thrown.getCause()).failure();
    }

    @Test
    void theLocalPasswordUnlocksATokenTheProviderIssuedForTheEnrolledAccount() throws Exception {
        UpstreamLogin login = login("alice", LOCAL_PASSWORD);

        assertThat(login).isInstanceOf(UpstreamLogin.Bearer.class);
        UpstreamLogin.Bearer bearer = (UpstreamLogin.Bearer) login;
        assertThat(bearer.user()).isEqualTo("alice@example.com");
        assertThat(idp.isActive(bearer.accessToken().value())).as("the provider issued it").isTrue();
        // A second login within the token's life asks the provider nothing.
        login("alice", LOCAL_PASSWORD);
        assertThat(idp.grants("alice", "refresh_token")).isEqualTo(1);
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefusedWithoutAskingTheProvider() {
        assertThat(refusal("alice", "not-the-local-pw")).isEqualTo(UpstreamAuthFailure.CREDENTIALS_REFUSED);
        assertThat(refusal("mallory", LOCAL_PASSWORD)).isEqualTo(UpstreamAuthFailure.CREDENTIALS_REFUSED);
        assertThat(idp.tokenRequests()).isZero();
    }

    @Test
    void aRevokedRefreshTokenAsksForReEnrolmentOnceTheAccessTokenIsGone() throws Exception {
        login("alice", LOCAL_PASSWORD);
        idp.revokeUser("alice");
        clock.advance(Duration.ofHours(2));

        assertThat(refusal("alice", LOCAL_PASSWORD)).isEqualTo(UpstreamAuthFailure.REENROL_NEEDED);
        assertThatThrownBy(() -> login("alice", LOCAL_PASSWORD)).hasRootCauseInstanceOf(UpstreamAuthException.class);
    }
}

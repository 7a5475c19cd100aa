package org.popbridge.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.oauth.Outcomes.failure;
import static org.popbridge.oauth.Outcomes.value;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.oauth.OAuthException.Kind;
import org.popbridge.oauth.testing.MutableClock;
import org.popbridge.oauth.testing.StandInIdentityProvider;

class OAuthClientTest {
    private static final URI REDIRECT = URI.create("http://localhost:8765/callback");

    private final MutableClock clock = MutableClock.startingAt("2025-03-01T08:00:00Z");
    private final RecordingPause pause = new RecordingPause(clock);
    private StandInIdentityProvider idp;
    private OAuthProvider provider;
    private OAuthClient client;

    @BeforeEach
    void start() throws Exception {
        idp = StandInIdentityProvider.start(clock);
        provider = idp.provider();
        client = client(Duration.ofSeconds(10));
    }

    private OAuthClient client(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        return new OAuthClient(http, clock, timeout, pause, new SecureRandom());
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    // ---- device flow (RFC 8628)

    @Test
    void deviceFlowGivesTokensOnceTheUserApproves() throws Exception {
        DeviceAuthorization device = value(client.startDeviceAuthorization(provider));
        assertThat(device.verificationUri().toString()).startsWith(idp.baseUrl().toString());
        assertThat(device.interval()).isEqualTo(Duration.ofSeconds(5));
        pause.onWait(n -> {
            if (n == 3) {
                idp.approve(device.userCode(), "alice@example.com");
            }
        });

        TokenGrant grant = value(client.awaitDeviceToken(provider, device, Duration.ofMinutes(10)));

        assertThat(grant.refreshToken()).isPresent();
        assertThat(idp.isActive(grant.accessToken().value())).isTrue();
        assertThat(grant.accessToken().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        // Two polls were answered authorization_pending, each after the interval.
        assertThat(pause.waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(idp.grants("alice@example.com", "device_code")).isEqualTo(1);
    }

    @Test
    void slowDownAddsFiveSecondsToTheInterval() throws Exception {
        DeviceAuthorization device = value(client.startDeviceAuthorization(provider));
        idp.slowDownNextPoll();
        pause.onWait(n -> {
            if (n == 3) {
                idp.approve(device.userCode(), "bob");
            }
        });

        value(client.awaitDeviceToken(provider, device, Duration.ofMinutes(10)));

        assertThat(pause.waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void aUserWhoDeclinesGivesDenied() throws Exception {
        DeviceAuthorization device = value(client.startDeviceAuthorization(provider));
        pause.onWait(n -> idp.deny(device.userCode()));

        assertThat(failure(client.awaitDeviceToken(provider, device, Duration.ofMinutes(10))).kind())
                .isEqualTo(Kind.DENIED);
    }

    @Test
    void theClientStopsPollingWhenTheDeviceCodeRunsOut() throws Exception {
        idp.setDeviceCodeLifetime(Duration.ofSeconds(12));
        DeviceAuthorization device = value(client.startDeviceAuthorization(provider));

        OAuthException e = failure(client.awaitDeviceToken(provider, device, Duration.ofMinutes(10)));

        assertThat(e.kind()).isEqualTo(Kind.EXPIRED);
        // Polls at 5 s and 10 s; one at 15 s would be after the code's expiry at 12 s.
        assertThat(pause.waits).hasSize(2);
        assertThat(idp.tokenRequests()).isEqualTo(2);
    }

    @Test
    void theClientStopsAtItsOwnLimitBeforeTheCodeExpires() throws Exception {
        DeviceAuthorization device = value(client.startDeviceAuthorization(provider));

        assertThat(failure(client.awaitDeviceToken(provider, device, Duration.ofSeconds(7))).kind())
                .isEqualTo(Kind.EXPIRED);
        assertThat(idp.tokenRequests()).isEqualTo(1);
    }

    @Test
    void theProvidersExpiredTokenAnswerGivesExpired() throws Exception {
        idp.setDeviceCodeLifetime(Duration.ofSeconds(30));
        DeviceAuthorization device = value(client.startDeviceAuthorization(provider));
        // The machine slept through the code's lifetime: the provider says expired_token.
        pause.oversleeping(Duration.ofMinutes(1));

        assertThat(failure(client.awaitDeviceToken(provider, device, Duration.ofMinutes(10))).kind())
                .isEqualTo(Kind.EXPIRED);
        assertThat(idp.tokenRequests()).isEqualTo(1);
    }

    @Test
    void aTemporaryFailureWhilePollingDoublesTheIntervalAndGoesOn() throws Exception {
        DeviceAuthorization device = value(client.startDeviceAuthorization(provider));
        idp.failNext(503);
        pause.onWait(n -> {
            if (n == 2) {
                idp.approve(device.userCode(), "carol");
            }
        });

        value(client.awaitDeviceToken(provider, device, Duration.ofMinutes(10)));

        assertThat(pause.waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    // ---- refresh (RFC 6749 6)

    @Test
    void refreshKeepsTheRotatedRefreshToken() throws Exception {
        String first = idp.issueRefreshToken("alice");

        TokenGrant grant = value(client.refresh(provider, first));

        assertThat(grant.refreshToken()).isPresent().get().isNotEqualTo(first);
        assertThat(idp.isRefreshTokenValid(first)).isFalse();
        assertThat(idp.isRefreshTokenValid(grant.refreshToken().get())).isTrue();
        TokenGrant next = value(client.refresh(provider, grant.refreshToken().get()));
        assertThat(idp.isActive(next.accessToken().value())).isTrue();
        assertThat(idp.grants("alice", "refresh_token")).isEqualTo(2);
    }

    @Test
    void refreshWithoutRotationKeepsTheSameRefreshToken() throws Exception {
        idp.setRotateRefreshTokens(false);
        String token = idp.issueRefreshToken("alice");

        assertThat(value(client.refresh(provider, token)).refreshToken()).contains(token);
    }

    @Test
    void aRevokedRefreshTokenGivesInvalidGrant() throws Exception {
        String token = idp.issueRefreshToken("alice");
        idp.revokeUser("alice");

        assertThat(failure(client.refresh(provider, token)).kind()).isEqualTo(Kind.INVALID_GRANT);
    }

    @Test
    void serverErrorsAndThrottlingAreTemporary() throws Exception {
        String token = idp.issueRefreshToken("alice");
        idp.failNext(503);
        idp.failNext(429);

        assertThat(failure(client.refresh(provider, token)).kind()).isEqualTo(Kind.TEMPORARY);
        assertThat(failure(client.refresh(provider, token)).kind()).isEqualTo(Kind.TEMPORARY);
        assertThat(value(client.refresh(provider, token)).accessToken()).isNotNull();
    }

    @Test
    void aWrongClientSecretIsInvalidClient() throws Exception {
        OAuthProvider wrong = OAuthProvider.generic(idp.tokenUrl(), idp.deviceAuthorizationUrl(), Optional.empty(),
                Optional.empty(), StandInIdentityProvider.CLIENT_ID, Optional.of("not-the-secret"), List.of("mail"));

        assertThat(failure(client.refresh(wrong, idp.issueRefreshToken("alice"))).kind()).isEqualTo(Kind.INVALID_CLIENT);
    }

    @Test
    void anUnreachableProviderIsTemporary() throws Exception {
        OAuthProvider gone = OAuthProvider.generic(URI.create("http://127.0.0.1:1/token"), idp.deviceAuthorizationUrl(),
                Optional.empty(), Optional.empty(), "id", Optional.empty(), List.of("mail"));

        assertThat(failure(client.refresh(gone, "rt")).kind()).isEqualTo(Kind.TEMPORARY);
    }

    @Test
    void aProviderThatDoesNotAnswerInTimeIsTemporary() throws Exception {
        OAuthClient impatient = client(Duration.ofMillis(300));
        idp.hold();
        try {
            assertThat(failure(impatient.refresh(provider, idp.issueRefreshToken("alice"))).kind())
                    .isEqualTo(Kind.TEMPORARY);
        } finally {
            idp.release();
        }
    }

    // ---- client credentials (RFC 6749 4.4)

    @Test
    void clientCredentialsGiveAnAppTokenWithoutRefreshToken() throws Exception {
        TokenGrant grant = value(client.clientCredentials(provider));

        assertThat(grant.refreshToken()).isEmpty();
        assertThat(idp.isActive(grant.accessToken().value())).isTrue();
        assertThat(idp.grants(StandInIdentityProvider.CLIENT_ID, "client_credentials")).isEqualTo(1);
    }

    @Test
    void clientCredentialsNeedAClientSecret() throws Exception {
        OAuthProvider noSecret = OAuthProvider.generic(idp.tokenUrl(), idp.deviceAuthorizationUrl(), Optional.empty(),
                Optional.empty(), StandInIdentityProvider.CLIENT_ID, Optional.empty(), List.of("mail"));

        assertThat(failure(client.clientCredentials(noSecret)).kind()).isEqualTo(Kind.INVALID_CLIENT);
        assertThat(idp.tokenRequests()).isZero();
    }

    // ---- authorization code with PKCE (RFC 6749 4.1, RFC 7636)

    @Test
    void aPastedRedirectWithTheRightStateGivesTokens() throws Exception {
        AuthorizationRequest request = client.beginAuthorization(provider, REDIRECT);
        assertThat(request.browserUrl().getQuery()).contains("code_challenge_method=S256");
        String landed = idp.authorize(request.browserUrl(), "dave@example.com");

        TokenGrant grant = value(client.completeAuthorization(provider, request, landed));

        assertThat(grant.refreshToken()).isPresent();
        assertThat(idp.grants("dave@example.com", "authorization_code")).isEqualTo(1);
    }

    @Test
    void aRedirectWithAnotherStateIsRefusedWithoutTradingTheCode() throws Exception {
        AuthorizationRequest request = client.beginAuthorization(provider, REDIRECT);
        String landed = idp.authorize(request.browserUrl(), "dave");
        String forged = landed.replace("state=" + request.state(), "state=forged");

        OAuthException e = failure(client.completeAuthorization(provider, request, forged));

        assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("state");
        assertThat(idp.tokenRequests()).isZero();
    }

    @Test
    void aRedirectFromAnotherRequestFailsPkce() throws Exception {
        AuthorizationRequest first = client.beginAuthorization(provider, REDIRECT);
        AuthorizationRequest second = client.beginAuthorization(provider, REDIRECT);
        String landed = idp.authorize(first.browserUrl(), "dave");
        // The state is made to match, but the verifier is the other request's: the provider refuses.
        AuthorizationRequest mixed = new AuthorizationRequest(second.browserUrl(), REDIRECT, first.state(),
                second.codeVerifier());

        assertThat(failure(client.completeAuthorization(provider, mixed, landed)).kind()).isEqualTo(Kind.INVALID_GRANT);
    }

    @Test
    void aRedirectWithAnErrorIsDenied() throws Exception {
        AuthorizationRequest request = client.beginAuthorization(provider, REDIRECT);

        OAuthException e = failure(client.completeAuthorization(provider, request,
                REDIRECT + "?error=access_denied&state=" + request.state()));

        assertThat(e.kind()).isEqualTo(Kind.DENIED);
    }

    @Test
    void aRedirectRepeatingAParameterIsRefused() throws Exception {
        AuthorizationRequest request = client.beginAuthorization(provider, REDIRECT);

        assertThat(failure(client.completeAuthorization(provider, request,
                REDIRECT + "?code=a&code=b&state=" + request.state())).kind()).isEqualTo(Kind.PROTOCOL);
    }

    // ---- revocation (RFC 7009)

    @Test
    void revocationEndsTheRefreshToken() throws Exception {
        String token = idp.issueRefreshToken("alice");

        assertThat(value(client.revoke(provider, token))).isTrue();

        assertThat(idp.isRefreshTokenValid(token)).isFalse();
        assertThat(failure(client.refresh(provider, token)).kind()).isEqualTo(Kind.INVALID_GRANT);
    }

    // ---- bounded and strict answers

    @Test
    void anAnswerOverTheLimitIsRefusedWhetherAnnouncedOrNot() throws Exception {
        byte[] huge = ("{\"access_token\":\"" + "a".repeat(OAuthClient.MAX_ANSWER_BYTES) + "\"}").getBytes(StandardCharsets.US_ASCII);
        idp.answerNextWith(200, "application/json", huge);
        idp.answerNextChunked(200, "application/json", huge);

        OAuthException announced = failure(client.clientCredentials(provider));
        OAuthException streamed = failure(client.clientCredentials(provider));

        assertThat(announced.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(streamed.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(streamed.getMessage()).contains("larger than " + OAuthClient.MAX_ANSWER_BYTES);
    }

    @Test
    void malformedAnswersAreProtocolErrors() throws Exception {
        List<String> answers = List.of(
                "this is not json",
                "[1,2,3]",
                "{\"token_type\":\"Bearer\",\"expires_in\":3600}",
                "{\"access_token\":\"abc\u0001user=mallory\",\"expires_in\":3600}",
                "{\"access_token\":\"abc\",\"token_type\":\"mac\"}",
                "{\"access_token\":\"abc\",\"expires_in\":-5}",
                "{\"access_token\":\"abc\",\"expires_in\":\"soon\"}");
        for (String answer : answers) {
            idp.answerNextWith(200, "application/json", answer.getBytes(StandardCharsets.UTF_8));
            assertThat(failure(client.clientCredentials(provider)).kind()).as(answer).isEqualTo(Kind.PROTOCOL);
        }
    }

    @Test
    void anErrorDescriptionEchoingTheRefreshTokenIsRedacted() throws Exception {
        String token = idp.issueRefreshToken("alice");
        idp.answerNextWith(400, "application/json", ("{\"error\":\"invalid_grant\",\"error_description\":"
                + "\"token " + token + " was revoked\\u001b[2J\"}").getBytes(StandardCharsets.UTF_8));

        OAuthException e = failure(client.refresh(provider, token));

        assertThat(e.kind()).isEqualTo(Kind.INVALID_GRANT);
        assertThat(e.getMessage()).contains("invalid_grant").contains("[redacted]").doesNotContain(token)
                .doesNotContain("\u001b");
    }

    @Test
    void anExpiresInGivenAsTextIsRead() throws Exception {
        idp.answerNextWith(200, "application/json",
                "{\"access_token\":\"abc\",\"token_type\":\"bearer\",\"expires_in\":\"3599\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(value(client.clientCredentials(provider)).accessToken().expiresAt())
                .isEqualTo(clock.instant().plusSeconds(3599));
    }

    @Test
    void onlyHttpUrlsAreAccepted() {
        assertThatThrownBy(() -> OAuthProvider.generic(URI.create("file:///etc/passwd"), idp.deviceAuthorizationUrl(),
                Optional.empty(), Optional.empty(), "id", Optional.empty(), List.of("mail")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthProvider.microsoft("../evil", "id", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKnownProvidersHaveTheirEndpointsAndScopes() {
        OAuthProvider microsoft = OAuthProvider.microsoft("contoso.onmicrosoft.com", "app", Optional.of("s3cr3t-value"));
        assertThat(microsoft.tokenUrl()).hasToString("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assertThat(microsoft.deviceAuthorizationUrl()).hasToString("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode");
        assertThat(microsoft.scopes()).contains("https://outlook.office.com/POP.AccessAsUser.All", "offline_access");
        assertThat(microsoft.serviceScopes()).containsExactly("https://outlook.office365.com/.default");
        assertThat(microsoft.toString()).doesNotContain("s3cr3t-value");
        OAuthProvider google = OAuthProvider.google("app.apps.googleusercontent.com", Optional.empty());
        assertThat(google.tokenUrl()).hasToString("https://oauth2.googleapis.com/token");
        assertThat(google.deviceAuthorizationUrl()).hasToString("https://oauth2.googleapis.com/device/code");
        assertThat(google.scopes()).containsExactly("https://mail.google.com/");
    }

    /** Microsoft refuses a secret on public-client grants (AADSTS700025): it goes with client credentials only. */
    @Test
    void microsoftGetsTheSecretWithClientCredentialsOnly() {
        OAuthProvider microsoft = OAuthProvider.microsoft("contoso.onmicrosoft.com", "app", Optional.of("s3cr3t-value"));
        assertThat(OAuthClient.clientForm(microsoft)).containsEntry("client_id", "app").doesNotContainKey("client_secret");
        assertThat(OAuthClient.serviceForm(microsoft)).containsEntry("client_secret", "s3cr3t-value");
        OAuthProvider google = OAuthProvider.google("app", Optional.of("g-secret"));
        assertThat(OAuthClient.clientForm(google)).containsEntry("client_secret", "g-secret");
    }

    /**
     * A confidential client authenticates at the device authorization endpoint too (RFC 8628 3.1):
     * the interop suite's identity provider answers 401 invalid_client without the secret.
     */
    @Test
    void deviceAuthorizationCarriesTheSecretWhereUserGrantsDo() {
        OAuthProvider generic = OAuthProvider.generic(URI.create("https://idp.example/token"),
                URI.create("https://idp.example/device"), Optional.empty(), Optional.empty(), "popbridge",
                Optional.of("generic-secret"), List.of("mail"));
        assertThat(OAuthClient.deviceForm(generic)).containsEntry("client_id", "popbridge")
                .containsEntry("client_secret", "generic-secret").containsEntry("scope", "mail");
        OAuthProvider microsoft = OAuthProvider.microsoft("contoso.onmicrosoft.com", "app", Optional.of("s3cr3t-value"));
        assertThat(OAuthClient.deviceForm(microsoft)).doesNotContainKey("client_secret")
                .containsEntry("scope", String.join(" ", OAuthProvider.MICROSOFT_SCOPES));
        OAuthProvider publicClient = OAuthProvider.google("app", Optional.empty());
        assertThat(OAuthClient.deviceForm(publicClient)).doesNotContainKey("client_secret");
    }
}

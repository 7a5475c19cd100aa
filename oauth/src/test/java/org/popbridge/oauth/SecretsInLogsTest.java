package org.popbridge.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.oauth.Outcomes.failure;
import static org.popbridge.oauth.Outcomes.value;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.oauth.testing.MutableClock;
import org.popbridge.oauth.testing.StandInIdentityProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every flow with the log at TRACE and checks that no line, argument, exception or toString
 * holds a token, code, client secret, password or master key.
 */
class SecretsInLogsTest {
    @TempDir
    Path state;
    private final MutableClock clock = MutableClock.startingAt("2025-03-01T08:00:00Z");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final List<String> secrets = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private ch.qos.logback.classic.Logger root;
    private Level previous;
    private StandInIdentityProvider idp;

    @BeforeEach
    void captureEverything() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        previous = root.getLevel();
        root.setLevel(Level.TRACE);
        captured.start();
        root.addAppender(captured);
        idp = StandInIdentityProvider.start(clock);
    }

    @AfterEach
    void restore() {
        root.detachAppender(captured);
        root.setLevel(previous);
        idp.close();
    }

    @Test
    void noSecretReachesALogLineAnExceptionOrAToString() throws Exception {
        OAuthProvider provider = idp.provider();
        secrets.add(idp.clientSecret());
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        RecordingPause pause = new RecordingPause(clock);
        OAuthClient client = new OAuthClient(http, clock, Duration.ofSeconds(10), pause, new SecureRandom());
        TokenStore store = new TokenStore(state.resolve("oauth"), TokenStoreTest.CHEAP, Duration.ofMinutes(10), clock);
        AccessTokens tokens = new AccessTokens(client, store, Runnable::run, clock, TokenEvents.NONE, RefreshPolicy.DEFAULT);
        String password = "local-Passw0rd-for-scanner";
        secrets.add(password);
        byte[] masterBytes = new byte[32];
        new SecureRandom().nextBytes(masterBytes);
        secrets.add(Base64.getEncoder().encodeToString(masterBytes));

        // Device flow, with a pending poll and a slow_down.
        DeviceAuthorization device = value(client.startDeviceAuthorization(provider));
        secrets.add(device.deviceCode());
        idp.slowDownNextPoll();
        pause.onWait(n -> {
            if (n == 3) {
                idp.approve(device.userCode(), "alice");
            }
        });
        TokenGrant enrolled = value(client.awaitDeviceToken(provider, device, Duration.ofMinutes(5)));
        remember(enrolled);
        seen(device, enrolled);

        // Enrolment, unlock right and wrong, and refresh with rotation through AccessTokens.
        StoreKey.LocalPassword key = new StoreKey.LocalPassword(password);
        Enrolment enrolment = Enrolment.delegated(provider.id(), "alice@example.com", enrolled.refreshToken().orElseThrow());
        store.enrol("alice", key, enrolment);
        UnlockedGrant grant = store.unlock("alice", key).orElseThrow();
        store.unlock("alice", new StoreKey.LocalPassword(password + "x"));
        clock.advance(Duration.ofHours(2));
        AccessToken refreshed = value(tokens.get(provider, grant));
        secrets.add(refreshed.value());
        UnlockedGrant rotated = store.unlock("alice", key).orElseThrow();
        rotated.refreshToken().ifPresent(secrets::add);
        seen(key, enrolment, grant, rotated, refreshed);

        // A refusal whose description echoes the token, and a malformed answer quoting a token.
        String echoed = rotated.refreshToken().orElseThrow();
        idp.answerNextWith(400, "application/json", ("{\"error\":\"invalid_grant\",\"error_description\":\"bad "
                + echoed + "\"}").getBytes(StandardCharsets.UTF_8));
        seen(failure(client.refresh(provider, echoed)));
        idp.answerNextWith(200, "application/json", ("{\"access_token\":" + echoed + "}").getBytes(StandardCharsets.UTF_8));
        seen(failure(client.refresh(provider, echoed)));
        idp.failNext(503);
        clock.advance(Duration.ofHours(2));
        seen(failure(tokens.get(provider, grant)));

        // Authorization code with PKCE, client credentials, a service account, revocation.
        AuthorizationRequest request = client.beginAuthorization(provider, URI.create("http://localhost/cb"));
        secrets.add(request.codeVerifier());
        String landed = idp.authorize(request.browserUrl(), "bob");
        secrets.add(landed.replaceAll(".*code=([^&]+).*", "$1"));
        TokenGrant byCode = value(client.completeAuthorization(provider, request, landed));
        remember(byCode);
        seen(request, byCode);
        TokenGrant app = value(client.clientCredentials(provider));
        remember(app);
        StoreKey.MasterKey master = new StoreKey.MasterKey(masterBytes);
        store.enrol("scanner", master, Enrolment.serviceAccount(provider.id(), "scans@example.com"));
        seen(master, store.unlock("scanner", master).orElseThrow(), app);
        value(client.revoke(provider, byCode.refreshToken().orElseThrow()));
        seen(failure(client.refresh(provider, byCode.refreshToken().orElseThrow())));
        seen(store.list(), provider);

        assertThat(captured.list).isNotEmpty();
        assertThat(captured.list).anyMatch(e -> e.getLevel() == Level.TRACE);
        for (ILoggingEvent event : captured.list) {
            texts.add(event.getFormattedMessage());
            if (event.getArgumentArray() != null) {
                for (Object argument : event.getArgumentArray()) {
                    texts.add(String.valueOf(argument));
                }
            }
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        assertThat(secrets).hasSizeGreaterThan(10).allMatch(s -> s.length() >= 8);
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).as("a log line, exception or toString").doesNotContain(secret);
            }
        }
    }

    private void remember(TokenGrant grant) {
        secrets.add(grant.accessToken().value());
        grant.refreshToken().ifPresent(secrets::add);
    }

    private void seen(Object... values) {
        for (Object value : values) {
            texts.add(String.valueOf(value));
            if (value instanceof Throwable t) {
                for (Throwable c = t; c != null; c = c.getCause()) {
                    texts.add(c.toString());
                }
            }
        }
    }
}

package org.popbridge.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.popbridge.oauth.OAuthException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth2 grants popbridge uses, on the JDK's HttpClient: device authorization (RFC 8628),
 * refresh (RFC 6749 6), client credentials (RFC 6749 4.4), authorization code with PKCE (RFC 6749
 * 4.1, RFC 7636) and revocation (RFC 7009). Every call is asynchronous and never blocks the calling
 * thread, so an event loop may call {@link #refresh}. Every answer is bounded in size
 * ({@value #MAX_ANSWER_BYTES} bytes) and time. The client authenticates with client_secret_post
 * when the provider has a secret. Failures are {@link OAuthException}s.
 */
public final class OAuthClient {
    private static final Logger log = LoggerFactory.getLogger(OAuthClient.class);

    /** The largest answer read from an endpoint; real token answers are a few KiB. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** The time allowed for one exchange, connection included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** RFC 8628 3.5: each slow_down adds five seconds to the interval. */
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    private static final Duration MAX_POLL_BACKOFF = Duration.ofMinutes(1);

    private final TokenEndpoint endpoint;
    private final Clock clock;
    private final Pause pause;
    private final SecureRandom random;

    /** A client with its own HttpClient (no redirects: a token request is never re-sent elsewhere). */
    public static OAuthClient create(Duration timeout) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new OAuthClient(http, Clock.systemUTC(), timeout);
    }

    /** The HttpClient must not follow redirects; the clock dates the tokens' expiry. */
    public OAuthClient(HttpClient http, Clock clock, Duration timeout) {
        this(http, clock, timeout, Pause.REAL, new SecureRandom());
    }

    OAuthClient(HttpClient http, Clock clock, Duration timeout, Pause pause, SecureRandom random) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.endpoint = new TokenEndpoint(Objects.requireNonNull(http), timeout, MAX_ANSWER_BYTES);
        this.clock = Objects.requireNonNull(clock);
        this.pause = Objects.requireNonNull(pause);
        this.random = Objects.requireNonNull(random);
    }

    /**
     * RFC 8628 3.1: asks for a device code and the user code to show. A confidential client
     * authenticates here as at the token endpoint (RFC 8628 3.1 applies RFC 6749 3.2.1), with the
     * secret where the provider takes it on a user's grant.
     */
    public CompletableFuture<DeviceAuthorization> startDeviceAuthorization(OAuthProvider provider) {
        Map<String, String> form = deviceForm(provider);
        URI url = provider.deviceAuthorizationUrl();
        return endpoint.post(url, "device authorization", form, provider.clientSecret().map(List::of).orElse(List.of()))
                .thenApply(answer -> unchecked(() -> {
                    if (answer instanceof EndpointAnswer.Refusal refusal) {
                        throw GrantAnswers.refused("device authorization", url, refusal);
                    }
                    return GrantAnswers.device(((EndpointAnswer.Success) answer).body(), clock.instant());
                }));
    }

    /**
     * RFC 8628 3.4, 3.5: polls the token endpoint at the given interval (longer after slow_down,
     * doubled after a temporary failure) until the user approves, declines, or the device code's
     * expiry or maxWait passes (EXPIRED).
     */
    public CompletableFuture<TokenGrant> awaitDeviceToken(OAuthProvider provider, DeviceAuthorization device,
            Duration maxWait) {
        Instant limit = clock.instant().plus(maxWait);
        Instant deadline = limit.isBefore(device.expiresAt()) ? limit : device.expiresAt();
        return poll(provider, device, device.interval(), deadline);
    }

    private CompletableFuture<TokenGrant> poll(OAuthProvider provider, DeviceAuthorization device, Duration interval,
            Instant deadline) {
        if (clock.instant().plus(interval).isAfter(deadline)) {
            return CompletableFuture.failedFuture(new OAuthException(Kind.EXPIRED,
                    "device authorization: the user did not approve before " + deadline));
        }
        return pause.after(interval).thenCompose(ignored -> {
            Map<String, String> form = clientForm(provider);
            form.put("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
            form.put("device_code", device.deviceCode());
            return exchange(provider, "device token", form, Optional.empty(), List.of(device.deviceCode()))
                    .handle((grant, failure) -> {
                        if (failure == null) {
                            return CompletableFuture.completedFuture(grant);
                        }
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        if (cause instanceof Pending pending) {
                            Duration next = pending.slowDown ? interval.plus(SLOW_DOWN_STEP) : interval;
                            log.trace("device authorization pending{}, next poll in {}",
                                    pending.slowDown ? " (slow down)" : "", next);
                            return poll(provider, device, next, deadline);
                        }
                        OAuthException error = OAuthException.of(cause);
                        if (error.kind() == Kind.TEMPORARY) {
                            Duration doubled = interval.multipliedBy(2);
                            Duration next = doubled.compareTo(MAX_POLL_BACKOFF) > 0 ? MAX_POLL_BACKOFF : doubled;
                            log.debug("device authorization poll failed ({}), next poll in {}", error.getMessage(), next);
                            return poll(provider, device, next, deadline);
                        }
                        return CompletableFuture.<TokenGrant>failedFuture(error);
                    })
                    .thenCompose(f -> f);
        });
    }

    /** RFC 6749 6: a new access token; the answer's refresh token if it rotated, else the one given. */
    public CompletableFuture<TokenGrant> refresh(OAuthProvider provider, String refreshToken) {
        Map<String, String> form = clientForm(provider);
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return exchange(provider, "refresh", form, Optional.of(refreshToken), List.of(refreshToken));
    }

    /** RFC 6749 4.4: an app-only access token for a service account; needs the client secret. */
    public CompletableFuture<TokenGrant> clientCredentials(OAuthProvider provider) {
        if (provider.clientSecret().isEmpty()) {
            return CompletableFuture.failedFuture(new OAuthException(Kind.INVALID_CLIENT,
                    "client credentials: the " + provider.id() + " provider has no client secret"));
        }
        Map<String, String> form = serviceForm(provider);
        form.put("grant_type", "client_credentials");
        form.put("scope", String.join(" ", provider.serviceScopes()));
        return exchange(provider, "client credentials", form, Optional.empty(), List.of());
    }

    /**
     * RFC 6749 4.1.1 with RFC 7636: the URL to open in a browser, with a fresh state and an S256
     * challenge; keep the returned request to complete it.
     */
    public AuthorizationRequest beginAuthorization(OAuthProvider provider, URI redirectUri) {
        URI base = provider.authorizationUrl().orElseThrow(
                () -> new IllegalArgumentException("the " + provider.id() + " provider has no authorization URL"));
        Pkce pkce = Pkce.create(random);
        String state = Pkce.randomToken(random, 16);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", provider.clientId());
        query.put("redirect_uri", redirectUri.toString());
        query.put("scope", String.join(" ", provider.scopes()));
        query.put("state", state);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        // Google issues a refresh token only for offline access with consent.
        if (provider.type() == ProviderType.GOOGLE) {
            query.put("access_type", "offline");
            query.put("prompt", "consent");
        }
        StringBuilder url = new StringBuilder(base.toString()).append(base.getRawQuery() == null ? '?' : '&');
        query.forEach((k, v) -> url.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        url.setLength(url.length() - 1);
        return new AuthorizationRequest(URI.create(url.toString()), redirectUri, state, pkce.verifier());
    }

    /**
     * RFC 6749 4.1.2, 4.1.3: reads the code and state from the redirect URL the user pasted, refuses
     * a state that is not the request's (PROTOCOL), and trades the code for tokens.
     */
    public CompletableFuture<TokenGrant> completeAuthorization(OAuthProvider provider, AuthorizationRequest request,
            String pastedRedirectUrl) {
        RedirectAnswer answer;
        try {
            answer = RedirectAnswer.parse(pastedRedirectUrl);
        } catch (OAuthException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] expected = request.state().getBytes(StandardCharsets.UTF_8);
        byte[] given = answer.state().orElse("").getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            return CompletableFuture.failedFuture(new OAuthException(Kind.PROTOCOL,
                    "authorization code: the redirect's state is not this request's (a forged or stale redirect)"));
        }
        if (answer.error().isPresent()) {
            String error = answer.error().get();
            Kind kind = error.equals("access_denied") ? Kind.DENIED : Kind.INVALID_CLIENT;
            return CompletableFuture.failedFuture(new OAuthException(kind, "authorization code: the provider answered "
                    + (error.matches("[A-Za-z0-9_.-]{1,64}") ? error : "an error")));
        }
        if (answer.code().isEmpty()) {
            return CompletableFuture.failedFuture(new OAuthException(Kind.PROTOCOL,
                    "authorization code: the redirect URL has no code"));
        }
        String code = answer.code().get();
        Map<String, String> form = clientForm(provider);
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", request.redirectUri().toString());
        form.put("code_verifier", request.codeVerifier());
        return exchange(provider, "authorization code", form, Optional.empty(), List.of(code, request.codeVerifier()));
    }

    /**
     * RFC 7009 2.1: asks the provider to revoke a refresh token (and with it the grant's access
     * tokens). Completes without a call when the provider has no revocation endpoint.
     */
    public CompletableFuture<Boolean> revoke(OAuthProvider provider, String refreshToken) {
        if (provider.revocationUrl().isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        URI url = provider.revocationUrl().get();
        Map<String, String> form = clientForm(provider);
        form.put("token", refreshToken);
        form.put("token_type_hint", "refresh_token");
        return endpoint.post(url, "revocation", form, secrets(provider, refreshToken))
                .thenApply(answer -> unchecked(() -> {
                    // RFC 7009 2.2: an unknown or already revoked token also answers 200.
                    if (answer instanceof EndpointAnswer.Refusal refusal) {
                        throw GrantAnswers.refused("revocation", url, refusal);
                    }
                    return true;
                }));
    }

    private CompletableFuture<TokenGrant> exchange(OAuthProvider provider, String purpose, Map<String, String> form,
            Optional<String> previousRefresh, List<String> requestSecrets) {
        URI url = provider.tokenUrl();
        List<String> secrets = new ArrayList<>(requestSecrets);
        provider.clientSecret().ifPresent(secrets::add);
        return endpoint.post(url, purpose, form, secrets).thenApply(answer -> unchecked(() -> {
            if (answer instanceof EndpointAnswer.Refusal refusal) {
                if (purpose.equals("device token")
                        && (refusal.error().equals("authorization_pending") || refusal.error().equals("slow_down"))) {
                    throw new Pending(refusal.error().equals("slow_down"));
                }
                throw GrantAnswers.refused(purpose, url, refusal);
            }
            TokenGrant grant = GrantAnswers.grant(((EndpointAnswer.Success) answer).body(), clock.instant(), previousRefresh);
            log.trace("{}: granted {}", purpose, grant);
            return grant;
        }));
    }

    private static List<String> secrets(OAuthProvider provider, String token) {
        List<String> secrets = new ArrayList<>(List.of(token));
        provider.clientSecret().ifPresent(secrets::add);
        return secrets;
    }

    /** The client's identification for a grant a user consented to: the secret only where the provider takes it there. */
    static Map<String, String> clientForm(OAuthProvider provider) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", provider.clientId());
        if (provider.type().secretOnUserGrants()) {
            provider.clientSecret().ifPresent(secret -> form.put("client_secret", secret));
        }
        return form;
    }

    /** The device authorization request's form: the client's identification and the scopes. */
    static Map<String, String> deviceForm(OAuthProvider provider) {
        Map<String, String> form = clientForm(provider);
        form.put("scope", String.join(" ", provider.scopes()));
        return form;
    }

    /** The client's identification for client credentials: always with its secret. */
    static Map<String, String> serviceForm(OAuthProvider provider) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", provider.clientId());
        provider.clientSecret().ifPresent(secret -> form.put("client_secret", secret));
        return form;
    }

    /** RFC 8628 3.5 authorization_pending or slow_down: not an error, the next poll is due. */
    private static final class Pending extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean slowDown;

        Pending(boolean slowDown) {
            super(null, null, false, false);
            this.slowDown = slowDown;
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Step<T> step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }
}

package org.popbridge.oauth.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.popbridge.oauth.OAuthProvider;

/**
 * A stand-in OAuth2 identity provider on 127.0.0.1 (JDK HttpServer, port 0) for tests here and in
 * other modules (the oauth test-jar): device authorization (RFC 8628), the token endpoint with the
 * device_code, refresh_token (rotating or not), client_credentials and authorization_code (PKCE
 * S256) grants, introspection (RFC 7662, as Dovecot's oauth2 passdb uses it) and revocation (RFC
 * 7009). Time is the given clock, so expiries are under the test's control; grants are counted per
 * user; faults (an error status, a raw answer, a held answer) are set up per request.
 */
public final class StandInIdentityProvider implements AutoCloseable {
    public static final String CLIENT_ID = "popbridge-test-client";
    public static final String SCOPE = "mail";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUEST = 64 * 1024;

    private final MutableClock clock;
    private final HttpServer server;
    private final ExecutorService threads;
    private final SecureRandom random = new SecureRandom();
    private final String clientSecret;

    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, String> deviceByUserCode = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Access> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> grants = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final Deque<Fault> faults = new ArrayDeque<>();

    private volatile Duration accessLifetime = Duration.ofHours(1);
    private volatile Duration deviceLifetime = Duration.ofMinutes(15);
    private volatile Duration pollInterval = Duration.ofSeconds(5);
    private volatile boolean rotate = true;
    private volatile boolean slowDownNext;
    private volatile CountDownLatch hold;

    private record Device(String userCode, Instant expires, String scope, Duration interval, Instant lastPoll,
            String state, String user) {
        Device with(Instant poll, Duration newInterval, String newState, String newUser) {
            return new Device(userCode, expires, scope, newInterval, poll, newState, newUser);
        }
    }

    private record Refresh(String user, String scope) {
    }

    private record Access(String user, String scope, Instant expires, String refreshToken) {
    }

    private record Code(String user, String challenge, String redirectUri, String scope) {
    }

    private record Fault(int status, String contentType, byte[] body, boolean chunked) {
    }

    private StandInIdentityProvider(MutableClock clock, String clientSecret) throws IOException {
        this.clock = clock;
        this.clientSecret = clientSecret;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stand-in-idp");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/device", this::device);
        server.createContext("/token", this::token);
        server.createContext("/introspect", this::introspect);
        server.createContext("/revoke", this::revoke);
        server.start();
    }

    /** A provider on a free port with a fresh client secret. */
    public static StandInIdentityProvider start(MutableClock clock) throws IOException {
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        return new StandInIdentityProvider(clock, "cs-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    // ---- where it is

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI tokenUrl() {
        return baseUrl().resolve("/token");
    }

    public URI deviceAuthorizationUrl() {
        return baseUrl().resolve("/device");
    }

    /** Not served: {@link #authorize} plays the browser's visit. */
    public URI authorizationUrl() {
        return baseUrl().resolve("/authorize");
    }

    public URI introspectionUrl() {
        return baseUrl().resolve("/introspect");
    }

    public URI revocationUrl() {
        return baseUrl().resolve("/revoke");
    }

    public String clientSecret() {
        return clientSecret;
    }

    /** A generic provider for this stand-in, with its client secret. */
    public OAuthProvider provider() {
        return OAuthProvider.generic(tokenUrl(), deviceAuthorizationUrl(), Optional.of(authorizationUrl()),
                Optional.of(revocationUrl()), CLIENT_ID, Optional.of(clientSecret), List.of(SCOPE));
    }

    // ---- settings

    public void setAccessTokenLifetime(Duration lifetime) {
        accessLifetime = lifetime;
    }

    public void setDeviceCodeLifetime(Duration lifetime) {
        deviceLifetime = lifetime;
    }

    public void setPollInterval(Duration interval) {
        pollInterval = interval;
    }

    /** Whether a refresh gives a new refresh token and invalidates the old one (the default), or keeps it. */
    public void setRotateRefreshTokens(boolean rotating) {
        rotate = rotating;
    }

    // ---- what a user does in the browser

    /** The user code of the latest device authorization. */
    public String latestUserCode() {
        return devices.values().stream().max((a, b) -> a.expires().compareTo(b.expires()))
                .map(Device::userCode).orElseThrow();
    }

    /** The user entered the code and approved as this user. */
    public void approve(String userCode, String user) {
        updateDevice(userCode, "approved", user);
    }

    /** The user declined. */
    public void deny(String userCode) {
        updateDevice(userCode, "denied", null);
    }

    /**
     * The browser's visit to the authorization URL the client built (checked as a provider checks
     * it: client id, response type, S256 challenge); returns the URL the browser lands on.
     */
    public String authorize(URI browserUrl, String user) {
        Map<String, String> query = form(browserUrl.getRawQuery());
        if (!CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))
                || !"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null) {
            throw new IllegalArgumentException("not an authorization request this provider accepts");
        }
        String code = "ac-" + random(24);
        codes.put(code, new Code(user, query.get("code_challenge"), query.get("redirect_uri"), query.get("scope")));
        return query.get("redirect_uri") + "?code=" + code + "&state=" + query.get("state");
    }

    /** A refresh token issued without a flow, for tests that start from an enrolled user. */
    public String issueRefreshToken(String user) {
        String token = "rt-" + random(32);
        refreshTokens.put(token, new Refresh(user, SCOPE));
        return token;
    }

    /** The administrator revokes every refresh token of the user (and their access tokens). */
    public void revokeUser(String user) {
        refreshTokens.values().removeIf(r -> r.user().equals(user));
        accessTokens.values().removeIf(a -> a.user().equals(user));
    }

    // ---- faults

    /** The next poll of a pending device code answers slow_down. */
    public void slowDownNextPoll() {
        slowDownNext = true;
    }

    /** The next token-endpoint request answers this status with an empty body. */
    public void failNext(int status) {
        answerNextWith(status, "text/plain", new byte[0]);
    }

    /** The next token-endpoint request answers exactly this. */
    public void answerNextWith(int status, String contentType, byte[] body) {
        synchronized (faults) {
            faults.add(new Fault(status, contentType, body, false));
        }
    }

    /** The next token-endpoint request answers this, chunked: no length announced beforehand. */
    public void answerNextChunked(int status, String contentType, byte[] body) {
        synchronized (faults) {
            faults.add(new Fault(status, contentType, body, true));
        }
    }

    /** Token-endpoint requests wait until {@link #release()} (or 30 s). */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch latch = hold;
        hold = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    // ---- what it saw

    /** Grants of a type given to a user ("refresh_token", "device_code", "client_credentials", "authorization_code"). */
    public int grants(String user, String grantType) {
        AtomicInteger count = grants.get(user + "|" + grantType);
        return count == null ? 0 : count.get();
    }

    /** Every request to the token endpoint, answered or not. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** RFC 7662: whether the access token is active now, by the clock. */
    public boolean isActive(String accessToken) {
        Access access = accessTokens.get(accessToken);
        return access != null && clock.instant().isBefore(access.expires());
    }

    public boolean isRefreshTokenValid(String refreshToken) {
        return refreshTokens.containsKey(refreshToken);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }

    // ---- endpoints

    private void device(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange);
        if (!CLIENT_ID.equals(form.get("client_id"))) {
            error(exchange, 400, "invalid_client");
            return;
        }
        String deviceCode = "dc-" + random(32);
        String userCode = random(6).toUpperCase().replaceAll("[^A-Z0-9]", "X");
        devices.put(deviceCode, new Device(userCode, clock.instant().plus(deviceLifetime), form.getOrDefault("scope", ""),
                pollInterval, null, "pending", null));
        deviceByUserCode.put(userCode, deviceCode);
        ObjectNode answer = JSON.createObjectNode()
                .put("device_code", deviceCode)
                .put("user_code", userCode)
                .put("verification_uri", baseUrl().resolve("/activate").toString())
                .put("verification_uri_complete", baseUrl().resolve("/activate?user_code=" + userCode).toString())
                .put("expires_in", deviceLifetime.toSeconds())
                .put("interval", pollInterval.toSeconds());
        json(exchange, 200, answer);
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = readForm(exchange);
        CountDownLatch latch = hold;
        if (latch != null) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Fault fault;
        synchronized (faults) {
            fault = faults.poll();
        }
        if (fault != null && fault.chunked()) {
            exchange.getResponseHeaders().set("Content-Type", fault.contentType());
            exchange.sendResponseHeaders(fault.status(), 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(fault.body());
            } catch (IOException e) {
                // The client hung up once it had read enough: what the test wants.
            }
            return;
        }
        if (fault != null) {
            send(exchange, fault.status(), fault.contentType(), fault.body());
            return;
        }
        if (!CLIENT_ID.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            error(exchange, 401, "invalid_client");
            return;
        }
        switch (form.getOrDefault("grant_type", "")) {
            case "urn:ietf:params:oauth:grant-type:device_code" -> deviceToken(exchange, form);
            case "refresh_token" -> refresh(exchange, form);
            case "client_credentials" -> {
                count(CLIENT_ID, "client_credentials");
                issue(exchange, CLIENT_ID, form.getOrDefault("scope", ""), false);
            }
            case "authorization_code" -> authorizationCode(exchange, form);
            default -> error(exchange, 400, "unsupported_grant_type");
        }
    }

    private void deviceToken(HttpExchange exchange, Map<String, String> form) throws IOException {
        String deviceCode = form.getOrDefault("device_code", "");
        Instant now = clock.instant();
        Device device = devices.get(deviceCode);
        if (device == null) {
            error(exchange, 400, "invalid_grant");
            return;
        }
        if (!now.isBefore(device.expires())) {
            error(exchange, 400, "expired_token");
            return;
        }
        boolean early = device.lastPoll() != null && now.isBefore(device.lastPoll().plus(device.interval()));
        if (device.state().equals("pending") && (slowDownNext || early)) {
            slowDownNext = false;
            devices.put(deviceCode, device.with(now, device.interval().plusSeconds(5), device.state(), device.user()));
            error(exchange, 400, "slow_down");
            return;
        }
        devices.put(deviceCode, device.with(now, device.interval(), device.state(), device.user()));
        switch (device.state()) {
            case "pending" -> error(exchange, 400, "authorization_pending");
            case "denied" -> error(exchange, 400, "access_denied");
            default -> {
                devices.remove(deviceCode);
                count(device.user(), "device_code");
                issue(exchange, device.user(), device.scope(), true);
            }
        }
    }

    private void refresh(HttpExchange exchange, Map<String, String> form) throws IOException {
        String token = form.getOrDefault("refresh_token", "");
        Refresh refresh = refreshTokens.get(token);
        if (refresh == null) {
            error(exchange, 400, "invalid_grant");
            return;
        }
        count(refresh.user(), "refresh_token");
        if (rotate) {
            refreshTokens.remove(token);
            issue(exchange, refresh.user(), refresh.scope(), true);
        } else {
            issueAccess(exchange, refresh.user(), refresh.scope(), token, false);
        }
    }

    private void authorizationCode(HttpExchange exchange, Map<String, String> form) throws IOException {
        Code code = codes.remove(form.getOrDefault("code", ""));
        if (code == null || !code.redirectUri().equals(form.get("redirect_uri"))
                || !code.challenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
            error(exchange, 400, "invalid_grant");
            return;
        }
        count(code.user(), "authorization_code");
        issue(exchange, code.user(), code.scope(), true);
    }

    private void issue(HttpExchange exchange, String user, String scope, boolean withRefresh) throws IOException {
        String refresh = null;
        if (withRefresh) {
            refresh = "rt-" + random(32);
            refreshTokens.put(refresh, new Refresh(user, scope));
        }
        issueAccess(exchange, user, scope, refresh, withRefresh);
    }

    private void issueAccess(HttpExchange exchange, String user, String scope, String refresh, boolean sendRefresh)
            throws IOException {
        String access = "at-" + random(32);
        Duration lifetime = accessLifetime;
        accessTokens.put(access, new Access(user, scope, clock.instant().plus(lifetime), refresh));
        ObjectNode answer = JSON.createObjectNode()
                .put("access_token", access)
                .put("token_type", "Bearer")
                .put("expires_in", lifetime.toSeconds())
                .put("scope", scope);
        if (sendRefresh && refresh != null) {
            answer.put("refresh_token", refresh);
        }
        json(exchange, 200, answer);
    }

    private void introspect(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange);
        Access access = accessTokens.get(form.getOrDefault("token", ""));
        ObjectNode answer = JSON.createObjectNode();
        if (access == null || !clock.instant().isBefore(access.expires())) {
            answer.put("active", false);
        } else {
            answer.put("active", true)
                    .put("username", access.user())
                    .put("scope", access.scope())
                    .put("client_id", CLIENT_ID)
                    .put("token_type", "Bearer")
                    .put("exp", access.expires().getEpochSecond());
        }
        json(exchange, 200, answer);
    }

    private void revoke(HttpExchange exchange) throws IOException {
        Map<String, String> form = readForm(exchange);
        String token = form.getOrDefault("token", "");
        if (refreshTokens.remove(token) != null) {
            accessTokens.values().removeIf(a -> token.equals(a.refreshToken()));
        }
        accessTokens.remove(token);
        send(exchange, 200, "text/plain", new byte[0]);
    }

    // ---- plumbing

    private void updateDevice(String userCode, String state, String user) {
        String deviceCode = deviceByUserCode.get(userCode);
        if (deviceCode == null) {
            throw new IllegalArgumentException("no such user code");
        }
        devices.computeIfPresent(deviceCode, (k, d) -> d.with(d.lastPoll(), d.interval(), state, user));
    }

    private void count(String user, String grantType) {
        grants.computeIfAbsent(user + "|" + grantType, k -> new AtomicInteger()).incrementAndGet();
    }

    private String random(int octets) {
        byte[] bytes = new byte[octets];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readForm(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_REQUEST);
            return form(new String(body, StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> fields = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(name, value);
        }
        return fields;
    }

    private static void error(HttpExchange exchange, int status, String error) throws IOException {
        json(exchange, status, JSON.createObjectNode().put("error", error));
    }

    private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

package org.popbridge.oauth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.popbridge.oauth.OAuthException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One form POST to an OAuth endpoint (RFC 6749 4.1.3, 6; RFC 8628 3.1, 3.4; RFC 7009 2.1) and its
 * answer, read under a size limit and a time limit. Its failures are OAuthExceptions whose text has
 * no part of the request or the answer body but the endpoint's error code and cleaned description.
 */
final class TokenEndpoint {
    private static final Logger log = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int DESCRIPTION_LIMIT = 300;

    // Small answers only: the constraints stop a deeply nested or huge-number answer early.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxNumberLength(32).maxStringLength(32 * 1024).build());
        JSON.getFactory().disable(JsonParser.Feature.ALLOW_COMMENTS);
    }

    private final HttpClient http;
    private final Duration timeout;
    private final int maxAnswerBytes;

    TokenEndpoint(HttpClient http, Duration timeout, int maxAnswerBytes) {
        this.http = http;
        this.timeout = timeout;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * Posts the form; secrets are the values (codes, tokens, client secret) to cut out of any error
     * description the endpoint echoes back.
     */
    CompletableFuture<EndpointAnswer> post(URI url, String purpose, Map<String, String> form, Collection<String> secrets) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        log.trace("POST {} ({})", url, purpose);
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, BoundedBody.handler(maxAnswerBytes));
        // HttpRequest.timeout covers the wait for the headers only; this bounds the body too.
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!exchange.isDone()) {
                timedOut.set(true);
                exchange.cancel(true);
            }
        });
        return exchange.handle((response, failure) -> {
            if (failure != null) {
                throw new java.util.concurrent.CompletionException(transportFailure(url, purpose, failure, timedOut.get()));
            }
            log.trace("{} answered {} ({} bytes) for {}", url, response.statusCode(), response.body().length, purpose);
            try {
                return interpret(url, purpose, response.statusCode(), response.body(), secrets);
            } catch (OAuthException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static OAuthException transportFailure(URI url, String purpose, Throwable failure, boolean timedOut) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof BoundedBody.TooLarge tooLarge) {
            return new OAuthException(Kind.PROTOCOL, purpose + ": " + url + " sent an " + tooLarge.getMessage());
        }
        if (timedOut || cause instanceof HttpTimeoutException || cause instanceof CancellationException) {
            String what = cause instanceof HttpConnectTimeoutException ? "connecting to " : "waiting for ";
            return new OAuthException(Kind.TEMPORARY, purpose + ": timed out " + what + url);
        }
        if (cause instanceof IOException io) {
            // The JDK's I/O messages name hosts and addresses, never the request body.
            return new OAuthException(Kind.TEMPORARY, purpose + ": " + url + " could not be reached: "
                    + io.getClass().getSimpleName(), io);
        }
        return new OAuthException(Kind.TEMPORARY, purpose + ": " + url + " failed: " + cause.getClass().getSimpleName());
    }

    private static EndpointAnswer interpret(URI url, String purpose, int status, byte[] body, Collection<String> secrets)
            throws OAuthException {
        if (status >= 200 && status < 300) {
            if (body.length == 0 || isBlank(body)) {
                return new EndpointAnswer.Success(JsonNodeFactory.instance.objectNode());
            }
            JsonNode json = parse(body);
            if (json == null || !json.isObject()) {
                throw new OAuthException(Kind.PROTOCOL, purpose + ": " + url + " answered " + status + " without a JSON object");
            }
            return new EndpointAnswer.Success(json);
        }
        if (status == 429 || status >= 500) {
            throw new OAuthException(Kind.TEMPORARY, purpose + ": " + url + " answered " + status);
        }
        JsonNode json = parse(body);
        if (status >= 400 && json != null && json.isObject() && json.path("error").isTextual()) {
            String code = json.path("error").asText();
            String error = ERROR_CODE.matcher(code).matches() ? code : "unreadable_error";
            String description = json.path("error_description").isTextual()
                    ? clean(json.path("error_description").asText(), secrets) : "";
            return new EndpointAnswer.Refusal(status, error, description);
        }
        if (status == 401 || status == 403 || status == 404 || status == 405 || (status >= 300 && status < 400)) {
            throw new OAuthException(Kind.INVALID_CLIENT, purpose + ": " + url + " answered " + status
                    + " (check the endpoint URL and the client registration)");
        }
        throw new OAuthException(Kind.PROTOCOL, purpose + ": " + url + " answered " + status + " without an OAuth error");
    }

    /** Null when the body is not JSON; the parser's own message quotes the body, so it is dropped. */
    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Printable ASCII, bounded, with any secret of the request replaced: it goes into logs. */
    static String clean(String description, Collection<String> secrets) {
        String text = description;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                text = text.replace(secret, "[redacted]");
            }
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), DESCRIPTION_LIMIT));
        for (int i = 0; i < text.length() && out.length() < DESCRIPTION_LIMIT; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : ' ');
        }
        return out.toString().strip();
    }

    private static String encode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> field : form.entrySet()) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}

package org.popbridge.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.popbridge.oauth.OAuthException.Kind;

/** Reads the token endpoint's and the device endpoint's JSON answers into values, strictly. */
final class GrantAnswers {
    /** Without expires_in (RFC 6749 5.1 makes it optional) a token is taken to last an hour, the common lifetime. */
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    private static final long MAX_LIFETIME_SECONDS = Duration.ofDays(366).toSeconds();
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;
    /** RFC 8628 3.2: five seconds when the answer names no interval. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_INTERVAL = Duration.ofMinutes(5);

    private GrantAnswers() {
    }

    /** An RFC 6749 5.1 answer; previousRefreshToken is kept when the provider sent no new one. */
    static TokenGrant grant(JsonNode body, Instant now, Optional<String> previousRefreshToken) throws OAuthException {
        String access = token(body, "access_token").orElseThrow(
                () -> new OAuthException(Kind.PROTOCOL, "the token answer has no access_token"));
        JsonNode type = body.path("token_type");
        if (!type.isMissingNode() && !(type.isTextual() && type.asText().equalsIgnoreCase("bearer"))) {
            throw new OAuthException(Kind.PROTOCOL, "the token answer is not a bearer token");
        }
        long seconds = seconds(body, "expires_in").orElse(DEFAULT_LIFETIME.toSeconds());
        if (seconds < 1 || seconds > MAX_LIFETIME_SECONDS) {
            throw new OAuthException(Kind.PROTOCOL, "the token answer has an expires_in out of range");
        }
        Optional<String> refresh = token(body, "refresh_token").or(() -> previousRefreshToken);
        String scope = body.path("scope").isTextual() ? printable(body.path("scope").asText(), 2048) : "";
        return new TokenGrant(new AccessToken(access, now, now.plusSeconds(seconds)), refresh, scope);
    }

    /** An RFC 8628 3.2 answer. Google names the page verification_url. */
    static DeviceAuthorization device(JsonNode body, Instant now) throws OAuthException {
        String deviceCode = token(body, "device_code").orElseThrow(
                () -> new OAuthException(Kind.PROTOCOL, "the device answer has no device_code"));
        String userCode = text(body, "user_code", 64).orElseThrow(
                () -> new OAuthException(Kind.PROTOCOL, "the device answer has no printable user_code"));
        URI page = uri(body, "verification_uri").or(() -> uri(body, "verification_url")).orElseThrow(
                () -> new OAuthException(Kind.PROTOCOL, "the device answer has no http(s) verification_uri"));
        Optional<URI> complete = uri(body, "verification_uri_complete");
        long expires = seconds(body, "expires_in").orElseThrow(
                () -> new OAuthException(Kind.PROTOCOL, "the device answer has no expires_in"));
        if (expires < 1 || expires > Duration.ofDays(1).toSeconds()) {
            throw new OAuthException(Kind.PROTOCOL, "the device answer has an expires_in out of range");
        }
        Duration interval = seconds(body, "interval").map(Duration::ofSeconds).orElse(DEFAULT_INTERVAL);
        interval = interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL
                : interval.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : interval;
        return new DeviceAuthorization(deviceCode, userCode, page, complete, now.plusSeconds(expires), interval);
    }

    /** A token as RFC 6750 2.1 allows: printable ASCII without spaces, which also keeps SASL framing intact. */
    private static Optional<String> token(JsonNode body, String field) throws OAuthException {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        String value = node.isTextual() ? node.asText() : "";
        if (value.isEmpty() || value.length() > MAX_TOKEN_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new OAuthException(Kind.PROTOCOL, "the answer's " + field + " is not a token");
        }
        return Optional.of(value);
    }

    private static Optional<String> text(JsonNode body, String field, int max) {
        JsonNode node = body.path(field);
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > max
                || !node.asText().chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    private static Optional<URI> uri(JsonNode body, String field) {
        return text(body, field, 2048).flatMap(s -> {
            try {
                return Optional.of(OAuthProvider.requireWebUrl(URI.create(s), field));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** Seconds as a JSON integer, or as a string of digits as some providers send it. */
    private static Optional<Long> seconds(JsonNode body, String field) throws OAuthException {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Optional.of(node.asLong());
        }
        if (node.isTextual() && node.asText().matches("[0-9]{1,10}")) {
            return Optional.of(Long.parseLong(node.asText()));
        }
        throw new OAuthException(Kind.PROTOCOL, "the answer's " + field + " is not a number of seconds");
    }

    private static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : ' ');
        }
        return out.toString();
    }

    /** An RFC 6749 5.2 refusal as the exception its error code calls for. */
    static OAuthException refused(String purpose, URI url, EndpointAnswer.Refusal refusal) {
        Kind kind = switch (refusal.error()) {
            case "invalid_grant" -> Kind.INVALID_GRANT;
            case "invalid_client", "unauthorized_client", "invalid_scope", "unsupported_grant_type",
                    "invalid_request", "unsupported_token_type" -> Kind.INVALID_CLIENT;
            case "access_denied" -> Kind.DENIED;
            case "expired_token" -> Kind.EXPIRED;
            case "temporarily_unavailable", "server_error" -> Kind.TEMPORARY;
            default -> Kind.PROTOCOL;
        };
        String description = refusal.description().isEmpty() ? "" : " (" + refusal.description() + ")";
        return new OAuthException(kind, purpose + ": " + url.getHost() + " answered " + refusal.status() + " "
                + refusal.error() + description);
    }
}

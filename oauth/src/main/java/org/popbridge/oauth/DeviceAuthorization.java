package org.popbridge.oauth;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a device authorization request (RFC 8628 3.2): the user code and the page where
 * the user enters it (to print), and the device code and polling interval (for the client).
 * toString hides the device code.
 */
public record DeviceAuthorization(
        String deviceCode,
        String userCode,
        URI verificationUri,
        Optional<URI> verificationUriComplete,
        Instant expiresAt,
        Duration interval) {

    public DeviceAuthorization {
        Objects.requireNonNull(deviceCode, "deviceCode");
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(verificationUri, "verificationUri");
        Objects.requireNonNull(verificationUriComplete, "verificationUriComplete");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(interval, "interval");
    }

    @Override
    public String toString() {
        return "DeviceAuthorization[user code " + userCode + " at " + verificationUri + ", expires " + expiresAt
                + ", interval " + interval + "]";
    }
}

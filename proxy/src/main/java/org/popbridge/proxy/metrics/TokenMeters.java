package org.popbridge.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.TokenEvents;

/**
 * What the access-token cache reports, counted: refreshes asked of the identity provider and
 * how they ended, and callers refused without asking (backing off, or the user must enrol
 * again). Never by user: the log names the user, the meters count.
 */
final class TokenMeters implements TokenEvents {

    private final MeterRegistry registry;

    TokenMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void refreshed(String user, boolean rotated) {
        refreshes(rotated ? "rotated" : "ok").increment();
    }

    @Override
    public void refreshFailed(String user, OAuthException.Kind kind) {
        refreshes(kind.name().toLowerCase(Locale.ROOT)).increment();
    }

    @Override
    public void refusedWithoutAsking(String user, OAuthException.Kind kind) {
        Counter.builder("popbridge.token.refusals").description("logins given no token without asking the identity provider")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    private Counter refreshes(String outcome) {
        return Counter.builder("popbridge.token.refreshes")
                .description("access tokens asked of the identity provider, by outcome")
                .tag("outcome", outcome).register(registry);
    }
}

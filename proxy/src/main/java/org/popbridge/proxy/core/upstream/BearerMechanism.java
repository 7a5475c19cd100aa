package org.popbridge.proxy.core.upstream;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** Which SASL mechanism carries a bearer token upstream: the config's {@code mechanism: xoauth2|oauthbearer|auto}. */
public enum BearerMechanism {
    /** XOAUTH2 always, offered or not (Google and Microsoft take it). */
    XOAUTH2,
    /** OAUTHBEARER (RFC 7628) always. */
    OAUTHBEARER,
    /** OAUTHBEARER where the server offers it, else XOAUTH2: the default. */
    AUTO;

    /**
     * The mechanism to use with a server that offers the SASL mechanisms {@code offered} says
     * it does (by upper-case name).
     */
    public SaslBearer choose(Predicate<String> offered) {
        return switch (this) {
            case XOAUTH2 -> SaslBearer.XOAUTH2;
            case OAUTHBEARER -> SaslBearer.OAUTHBEARER;
            case AUTO -> offered.test(SaslBearer.OAUTHBEARER.saslName()) ? SaslBearer.OAUTHBEARER : SaslBearer.XOAUTH2;
        };
    }

    /** How the config writes it. */
    public String written() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From the config's word, in any case. */
    public static Optional<BearerMechanism> of(String written) {
        return Arrays.stream(values()).filter(m -> m.written().equalsIgnoreCase(written.strip())).findFirst();
    }
}

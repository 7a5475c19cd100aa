package org.popbridge.proxy.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How popbridge hands mail to the submission server once connected: the SASL mechanism it
 * logs in with, and whether it tells the server the client's real address.
 *
 * @param authMechanism how the client's credentials are passed on (AUTH PLAIN or AUTH LOGIN)
 * @param xclient whether XCLIENT (Postfix) sends the client's address before the login, so the
 *     server logs and rate-limits the real client rather than popbridge
 */
public record SubmissionSettings(AuthMechanism authMechanism, boolean xclient) {

    /** The SASL mechanism used towards the submission server. */
    public enum AuthMechanism {
        /** AUTH PLAIN (RFC 4616), the default. */
        PLAIN("plain"),
        /** AUTH LOGIN, which Microsoft Exchange wants. */
        LOGIN("login");

        private final String written;

        AuthMechanism(String written) {
            this.written = written;
        }

        /** How it is written in the config file: plain or login. */
        public String written() {
            return written;
        }

        /** The mechanism's name on the wire, as in "AUTH PLAIN". */
        public String saslName() {
            return name();
        }

        public static Optional<AuthMechanism> of(String written) {
            return Arrays.stream(values()).filter(m -> m.written.equalsIgnoreCase(written.strip())).findFirst();
        }
    }

    public SubmissionSettings {
        Objects.requireNonNull(authMechanism, "authMechanism");
    }

    /** AUTH PLAIN, no XCLIENT. */
    public static SubmissionSettings defaults() {
        return new SubmissionSettings(AuthMechanism.PLAIN, false);
    }

    /** Binds {@code auth-mechanism} and {@code xclient}; absent, each takes its default. */
    static SubmissionSettings of(String authMechanism, Boolean xclient) {
        AuthMechanism mechanism = authMechanism == null ? AuthMechanism.PLAIN : AuthMechanism.of(authMechanism)
                .orElseThrow(() -> new SettingException("auth-mechanism",
                        "unknown mechanism '" + authMechanism + "' (use plain or login)"));
        return new SubmissionSettings(mechanism, xclient != null && xclient);
    }
}

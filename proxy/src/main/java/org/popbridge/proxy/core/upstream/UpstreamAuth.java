package org.popbridge.proxy.core.upstream;

import java.util.Objects;

/**
 * How the sessions of one route log in to its server: the authenticator that makes the login
 * from the client's, the mechanism a bearer token goes in, and the command that enrols a user
 * again when the identity provider says so.
 */
public record UpstreamAuth(UpstreamAuthenticator authenticator, BearerMechanism mechanism, Enrolment enrolment) {

    /** {@code auth: password}: the client's own credentials, as before OAuth existed. */
    public static final UpstreamAuth PASSWORD =
            new UpstreamAuth(UpstreamAuthenticator.PASSWORD, BearerMechanism.AUTO, Enrolment.UNKNOWN_FILE);

    public UpstreamAuth {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(enrolment, "enrolment");
    }
}

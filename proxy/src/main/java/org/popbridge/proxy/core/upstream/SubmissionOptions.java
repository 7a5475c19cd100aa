package org.popbridge.proxy.core.upstream;

/**
 * How popbridge logs in to a submission server and what it tells it.
 *
 * @param loginMechanism whether AUTH LOGIN is preferred to AUTH PLAIN (Exchange wants LOGIN);
 *     the other is used when the server offers only that one
 * @param xclient whether the client's real address is sent with XCLIENT (Postfix's
 *     {@code smtpd_authorized_xclient_hosts}) when the server offers it
 */
public record SubmissionOptions(boolean loginMechanism, boolean xclient) {

    /** AUTH PLAIN, no XCLIENT. */
    public static SubmissionOptions defaults() {
        return new SubmissionOptions(false, false);
    }
}

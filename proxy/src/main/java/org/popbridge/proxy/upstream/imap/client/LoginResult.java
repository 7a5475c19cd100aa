package org.popbridge.proxy.upstream.imap.client;

/**
 * How LOGIN or AUTHENTICATE ended (RFC 9051 sections 6.2.2, 6.2.3; codes of RFC 5530).
 *
 * @param serverText the server's human-readable text, for the log (it carries no secret)
 */
public record LoginResult(Outcome outcome, String serverText) {

    /** What the POP3 session makes of it. */
    public enum Outcome {
        /** Authenticated. */
        OK,
        /** NO: wrong credentials, or [AUTHENTICATIONFAILED], [AUTHORIZATIONFAILED], [EXPIRED]: "-ERR [AUTH]". */
        REJECTED,
        /** NO [UNAVAILABLE]: the server cannot check now: "-ERR [SYS/TEMP]". */
        UNAVAILABLE,
        /** BAD, or a login the link cannot do (no usable mechanism, pre-authenticated server): "-ERR [SYS/PERM]". */
        FAILED
    }

    public boolean isOk() {
        return outcome == Outcome.OK;
    }

    /** From the tagged response to LOGIN or AUTHENTICATE. */
    static LoginResult of(StatusResponse status) {
        if (status.isOk()) {
            return new LoginResult(Outcome.OK, status.text());
        }
        if (status.condition() == StatusResponse.Condition.NO) {
            boolean temporary = status.code("UNAVAILABLE").isPresent();
            return new LoginResult(temporary ? Outcome.UNAVAILABLE : Outcome.REJECTED, status.text());
        }
        return new LoginResult(Outcome.FAILED, status.text());
    }
}

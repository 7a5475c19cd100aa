package org.popbridge.proxy.upstream.imap.client;

import java.util.Optional;

/**
 * A status response (RFC 9051 section 7.1): tagged "A1 OK/NO/BAD", or untagged "* OK",
 * "* NO", "* BAD", "* PREAUTH", "* BYE"; with its response code if it has one.
 * {@code tag} is "*" for an untagged response.
 */
public record StatusResponse(String tag, Condition condition, Optional<ResponseCode> code, String text)
        implements ImapResponse {

    /** The condition of a status response. */
    public enum Condition { OK, NO, BAD, PREAUTH, BYE }

    public static final String UNTAGGED = "*";

    public boolean isTagged() {
        return !UNTAGGED.equals(tag);
    }

    public boolean isOk() {
        return condition == Condition.OK;
    }

    /** The code if it has {@code codeName}, e.g. {@code code("UIDVALIDITY")}. */
    public Optional<ResponseCode> code(String codeName) {
        return code.filter(c -> c.is(codeName));
    }
}

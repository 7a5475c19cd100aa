package org.popbridge.proxy.core.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password as the client gave them, with the SASL PLAIN authorization
 * identity (RFC 4616) when there was one. Never printed: {@link #toString()} hides the password.
 *
 * @param authzid the authorization identity; empty unless AUTH PLAIN gave one
 * @param viaSaslPlain whether they came in an AUTH PLAIN response (else USER/PASS or AUTH LOGIN)
 */
public record Credentials(String authzid, String user, String password, boolean viaSaslPlain) {

    /** From USER and PASS, or AUTH LOGIN. */
    public static Credentials of(String user, String password) {
        return new Credentials("", user, password, false);
    }


    /** The three NUL-separated fields of a base64 PLAIN response; empty if it is not one. */
    public static Optional<Credentials> plain(String base64) {
        return decode(base64).flatMap(message -> {
            String[] fields = message.split("\0", -1);
            if (fields.length != 3 || fields[1].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Credentials(fields[0], fields[1], fields[2], true));
        });
    }

    /** A base64 SASL response as UTF-8 text ("=" is the empty response); empty if it is not base64. */
    public static Optional<String> decode(String base64) {
        if (base64.equals("=")) {
            return Optional.of("");
        }
        try {
            return Optional.of(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}

package org.popbridge.proxy.core.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password as the client gave them, with the SASL PLAIN authorization
 * identity (RFC 4616) when there was one. Never printed: {@link #toString()} hides the password.
 *
 * <p>Each char is one octet the client sent (ISO-8859-1, as popbridge reads every command
 * line), whichever way they came: USER and PASS, or a base64 SASL response. So a UTF-8 name
 * or a Latin-1 password goes upstream as the same octets, encoded once, never transcoded.
 *
 * @param authzid the authorization identity; empty unless AUTH PLAIN gave one
 * @param viaSaslPlain whether they came in an AUTH PLAIN response (else USER/PASS or AUTH LOGIN)
 */
public record Credentials(String authzid, String user, String password, boolean viaSaslPlain) {

    /** From USER and PASS, or AUTH LOGIN. */
    public static Credentials of(String user, String password) {
        return new Credentials("", user, password, false);
    }


    /** The same credentials under another user name (a route's rewrite of it). */
    public Credentials withUser(String newUser) {
        return new Credentials(authzid, newUser, password, viaSaslPlain);
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

    /**
     * A base64 SASL response as its octets, one char each ("=" is the empty response); empty if
     * it is not base64. Not decoded as UTF-8: that would lose the octets of a non-UTF-8 password.
     */
    public static Optional<String> decode(String base64) {
        if (base64.equals("=")) {
            return Optional.of("");
        }
        try {
            return Optional.of(new String(Base64.getDecoder().decode(base64), StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The base64 SASL response of {@code clientText}'s octets: the inverse of {@link #decode}. */
    public static String encode(String clientText) {
        return Base64.getEncoder().encodeToString(octets(clientText));
    }

    /** The PLAIN response (RFC 4616 section 2) to send upstream: authzid NUL user NUL password, in base64. */
    public String plainResponse() {
        return encode(authzid + "\0" + user + "\0" + password);
    }

    /** The authorization identity's octets as the client sent them. */
    public byte[] authzidOctets() {
        return octets(authzid);
    }

    /** The user name's octets as the client sent them. */
    public byte[] userOctets() {
        return octets(user);
    }

    /** The password's octets as the client sent them. */
    public byte[] passwordOctets() {
        return octets(password);
    }

    private static byte[] octets(String clientText) {
        return clientText.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}

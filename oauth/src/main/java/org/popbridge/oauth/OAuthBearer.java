package org.popbridge.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** SASL OAUTHBEARER (RFC 7628): the initial client response. */
public final class OAuthBearer {
    private OAuthBearer() {
    }

    /**
     * RFC 7628 3.1: base64 of the GS2 header "n,a=" user "," then ^A "host=" host ^A "port=" port
     * ^A "auth=Bearer " token ^A ^A; the user is escaped as a SASL name (RFC 5801: "=" and ","
     * become =3D and =2C). The result carries the token, never log it.
     */
    public static String initialResponse(String user, String host, int port, String accessToken) {
        Sasl.requireField(user, "user");
        Sasl.requireField(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        Sasl.requireToken(accessToken);
        String name = user.replace("=", "=3D").replace(",", "=2C");
        String message = "n,a=" + name + ",\u0001host=" + host + "\u0001port=" + port + "\u0001auth=Bearer "
                + accessToken + "\u0001\u0001";
        return Base64.getEncoder().encodeToString(message.getBytes(StandardCharsets.UTF_8));
    }
}

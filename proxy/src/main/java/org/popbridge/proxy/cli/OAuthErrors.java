package org.popbridge.proxy.cli;

import java.util.Locale;
import org.popbridge.oauth.OAuthException;

/** An identity provider's refusal as one sentence for the admin: what failed, the kind, and the module's message (never a token). */
final class OAuthErrors {

    private OAuthErrors() {
    }

    static String sentence(String what, OAuthException e) {
        String kind = e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return what + " failed (" + kind + "): " + e.getMessage() + advice(e.kind());
    }

    private static String advice(OAuthException.Kind kind) {
        return switch (kind) {
            case INVALID_CLIENT -> "; check the provider's client id, secret and scopes in the config file";
            case DENIED -> "; the sign-in was declined";
            case EXPIRED -> "; run the command again and sign in sooner";
            case TEMPORARY -> "; try again later";
            case INVALID_GRANT, PROTOCOL -> "";
        };
    }
}

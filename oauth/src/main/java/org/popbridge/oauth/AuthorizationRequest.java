package org.popbridge.oauth;

import java.net.URI;
import java.util.Objects;

/**
 * One authorization-code request in progress (RFC 6749 4.1.1 with RFC 7636 PKCE): the URL to open
 * in a browser, and what the client must keep until the user pastes the redirect URL back: the
 * redirect URI, the state and the PKCE verifier. toString shows only the URL to open.
 */
public record AuthorizationRequest(URI browserUrl, URI redirectUri, String state, String codeVerifier) {

    public AuthorizationRequest {
        Objects.requireNonNull(browserUrl, "browserUrl");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[redirect " + redirectUri + "]";
    }
}

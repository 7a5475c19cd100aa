package org.popbridge.proxy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import org.popbridge.oauth.AuthorizationRequest;
import org.popbridge.oauth.Enrolment;
import org.popbridge.oauth.OAuthClient;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.OAuthProvider;
import org.popbridge.oauth.TokenGrant;

/**
 * The authorization-code flow with PKCE and a pasted redirect URL: prints the URL to open in a
 * browser, reads the address the browser ended on (one line), and trades its code for tokens.
 * For providers whose device flow does not grant mail scopes (Google for some client types).
 */
final class CodeFlow implements EnrolmentFlow {

    /** The longest pasted line read; a redirect URL with a code is well under 4 KiB. */
    static final int MAX_PASTED_CHARS = 8 * 1024;

    private final URI redirectUri;
    private final PrintWriter out;
    private final Reader in;

    CodeFlow(URI redirectUri, PrintWriter out, Reader in) {
        this.redirectUri = redirectUri;
        this.out = out;
        this.in = in;
    }

    @Override
    public Enrolment run(OAuthClient client, OAuthProvider provider, String account)
            throws OAuthException, BadInputException, InterruptedException {
        AuthorizationRequest request;
        try {
            request = client.beginAuthorization(provider, redirectUri);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--flow code: " + e.getMessage() + "; use the device flow (the default)");
        }
        out.println("To sign in, open this URL in a browser and sign in as " + account + ":");
        out.println(request.browserUrl());
        out.println("The browser then goes to " + redirectUri + " (the page may fail to load: that is expected). "
                + "Paste the whole address from the browser's address bar here and press Enter:");
        out.flush();
        String pasted = readLine();
        TokenGrant grant = Await.of(client.completeAuthorization(provider, request, pasted), EXCHANGE_LIMIT);
        String refreshToken = grant.refreshToken().orElseThrow(() -> new OAuthException(OAuthException.Kind.PROTOCOL,
                "authorization code: the provider gave no refresh token (does the provider's scope list ask for "
                        + "offline access?)"));
        return Enrolment.delegated(provider.id(), account, refreshToken);
    }

    /** One line of at most {@link #MAX_PASTED_CHARS} characters, without its line end. */
    private String readLine() throws BadInputException {
        StringBuilder line = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (line.length() == MAX_PASTED_CHARS) {
                    throw new BadInputException("the pasted address is longer than " + MAX_PASTED_CHARS
                            + " characters; paste only the address the browser ended on");
                }
                line.append((char) c);
            }
        } catch (IOException e) {
            throw new BadInputException("could not read the pasted address: " + e.getMessage());
        }
        String pasted = line.toString().strip();
        if (pasted.isEmpty()) {
            throw new BadInputException("no address was pasted; nothing was enrolled");
        }
        return pasted;
    }
}

package org.popbridge.proxy.cli;

import java.io.PrintWriter;
import org.popbridge.oauth.Enrolment;
import org.popbridge.oauth.OAuthClient;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.OAuthProvider;

/**
 * A service account (client credentials, Microsoft's app-only POP/IMAP/SMTP access): nothing to
 * sign in to, so the grant is tried once to show the client id, secret and permissions work, and
 * the account is enrolled without a refresh token.
 */
final class ServiceFlow implements EnrolmentFlow {

    private final PrintWriter out;

    ServiceFlow(PrintWriter out) {
        this.out = out;
    }

    @Override
    public Enrolment run(OAuthClient client, OAuthProvider provider, String account)
            throws OAuthException, BadInputException, InterruptedException {
        if (provider.clientSecret().isEmpty()) {
            throw new BadInputException("--flow service needs the provider's client secret: set client-secret-env "
                    + "in its provider: block");
        }
        Await.of(client.clientCredentials(provider), EXCHANGE_LIMIT);
        out.println("The client-credentials grant works for client " + provider.clientId() + ".");
        out.flush();
        return Enrolment.serviceAccount(provider.id(), account);
    }
}

package org.popbridge.proxy.cli;

import java.time.Duration;
import org.popbridge.oauth.Enrolment;
import org.popbridge.oauth.OAuthClient;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.OAuthProvider;

/** One way {@code popbridge oauth login} obtains a grant from the identity provider: what to store for the user. */
interface EnrolmentFlow {

    /** How long one exchange with the provider may take, beyond the client's own time-out. */
    Duration EXCHANGE_LIMIT = OAuthClient.DEFAULT_TIMEOUT.plusSeconds(15);

    /** Runs the flow for {@code account} and gives what to enrol; prints only what the admin must see. */
    Enrolment run(OAuthClient client, OAuthProvider provider, String account)
            throws OAuthException, BadInputException, InterruptedException;
}

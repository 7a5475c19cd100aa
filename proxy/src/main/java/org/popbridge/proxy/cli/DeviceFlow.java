package org.popbridge.proxy.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.popbridge.oauth.DeviceAuthorization;
import org.popbridge.oauth.Enrolment;
import org.popbridge.oauth.OAuthClient;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.OAuthProvider;
import org.popbridge.oauth.TokenGrant;

/**
 * The device flow (RFC 8628), for a headless host: prints the page and the code the user signs in
 * with elsewhere, then waits for the approval, bounded by the code's expiry and {@link #MAX_WAIT}.
 */
final class DeviceFlow implements EnrolmentFlow {

    /** The longest the command waits for the user, whatever the code's expiry. */
    static final Duration MAX_WAIT = Duration.ofMinutes(15);

    private final PrintWriter out;

    DeviceFlow(PrintWriter out) {
        this.out = out;
    }

    @Override
    public Enrolment run(OAuthClient client, OAuthProvider provider, String account)
            throws OAuthException, InterruptedException {
        DeviceAuthorization device = Await.of(client.startDeviceAuthorization(provider), EXCHANGE_LIMIT);
        out.println("To sign in, open " + device.verificationUri() + " and enter the code " + device.userCode());
        device.verificationUriComplete().ifPresent(page -> out.println("(or open " + page + ", which has the code in it)"));
        out.println("Sign in as " + account + ". Waiting for the sign-in (the code expires at " + device.expiresAt()
                + ")...");
        out.flush();
        TokenGrant grant = Await.of(client.awaitDeviceToken(provider, device, MAX_WAIT),
                MAX_WAIT.plus(EXCHANGE_LIMIT));
        String refreshToken = grant.refreshToken().orElseThrow(() -> new OAuthException(OAuthException.Kind.PROTOCOL,
                "device flow: the provider gave no refresh token (does the provider's scope list ask for offline access?)"));
        return Enrolment.delegated(provider.id(), account, refreshToken);
    }
}

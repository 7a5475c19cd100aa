package org.popbridge.proxy.core.session;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.time.Duration;

/**
 * One session's side of the login limits: it counts the logged-in session against
 * {@code connections-per-user-ip}, and for each failed login says how long the reply waits
 * and whether the session has failed too often. A failed login also gets one stable INFO line
 * on the logger {@code popbridge.auth}, for fail2ban (examples/fail2ban/).
 */
public final class UserSessions {

    /** The logger of failed logins; its line is a fixed format fail2ban filters match. */
    public static final String AUTH_LOGGER = "popbridge.auth";

    private static final org.slf4j.Logger authLog = org.slf4j.LoggerFactory.getLogger(AUTH_LOGGER);

    private final ClientLimits limits;
    private final String sessionId;
    private final String listener;
    private final InetAddress address;
    private final boolean exempt;
    private int failures;
    private String countedUser;

    public UserSessions(ClientLimits limits, String sessionId, Channel client, String listener) {
        this.limits = limits;
        this.sessionId = sessionId;
        this.listener = listener;
        this.address = ClientAddress.ip(client);
        this.exempt = limits.exempt(address);
    }

    /**
     * A login failed: logs it for fail2ban and says how long its reply waits.
     *
     * @param user the user name given, or null
     */
    public Duration failed(String user) {
        failures++;
        // The address comes before anything the client chose, so no user name can forge it.
        authLog.info("[{}] login failed: rip={} listener={} failures={} user={}", sessionId,
                address.getHostAddress(), listener, failures, LogText.of(user == null ? "-" : user));
        if (exempt) {
            return limits.authFailureDelay();
        }
        return limits.counters().penalties().failed(address, limits.authFailureDelay(), System.nanoTime());
    }

    /** Whether the session has failed {@code auth-failures} times and must close. */
    public boolean tooManyFailures() {
        return failures >= limits.authFailures();
    }

    /**
     * A login succeeded as {@code user}: counts the session, unless the user already has
     * {@code connections-per-user-ip} sessions from this address.
     *
     * @return false if over the limit (the session must refuse and close)
     */
    public boolean loggedIn(String user) {
        limits.counters().penalties().succeeded(address);
        if (user == null || exempt) {
            return true;
        }
        if (!limits.counters().enterSession(user, address, limits.connectionsPerUserIp())) {
            return false;
        }
        countedUser = user;
        return true;
    }

    /** The session is over. */
    public void ended() {
        if (countedUser != null) {
            limits.counters().leaveSession(countedUser, address);
            countedUser = null;
        }
    }
}

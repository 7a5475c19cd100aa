package org.popbridge.proxy.core.session;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One session's side of the login limits: it counts the logged-in session against
 * {@code connections-per-user-ip}, and answers each failed login after its delay, closing the
 * session once it has failed too often. A failed login also gets one stable INFO line
 * on the logger {@code popbridge.auth}, for fail2ban (examples/fail2ban/).
 */
public final class UserSessions {

    /** The logger of failed logins; its line is a fixed format fail2ban filters match. */
    public static final String AUTH_LOGGER = "popbridge.auth";

    private static final org.slf4j.Logger authLog = org.slf4j.LoggerFactory.getLogger(AUTH_LOGGER);
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UserSessions.class);

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
    private Duration failed(String user) {
        failures++;
        // The address comes before anything the client chose, so no user name can forge it.
        authLog.info("[{}] login failed: rip={} listener={} failures={} user={}", sessionId,
                address.getHostAddress(), listener, failures, LogText.of(user == null ? "-" : user));
        if (exempt) {
            return limits.authFailureDelay();
        }
        return limits.counters().penalties().failed(address, limits.authFailureDelay(), System.nanoTime());
    }

    /** What a session does with a failed login once its delay has passed: the protocol's words. */
    public interface FailedLogin {
        /** Whether the session has closed meanwhile (nothing more is said then). */
        boolean closed();

        /** Gives the client its refusal. */
        void reply();

        /** The session goes on: later commands are read again. */
        void goOn();

        /** The session has failed {@code auth-failures} times: it says so and closes. */
        void closeForTooMany();
    }

    /**
     * A login failed: logs it for fail2ban, then, on {@code loop} once the failure delay has
     * passed (growing per address, as Dovecot's anvil penalty does), gives the refusal and goes
     * on, or closes the session after {@code auth-failures} refusals. One schedule for every
     * protocol, so POP3 and SMTP brake a guesser alike.
     *
     * @param user the user name given, or null
     */
    public void refuse(String user, EventLoop loop, FailedLogin session) {
        Duration delay = failed(user);
        Runnable answer = () -> {
            if (session.closed()) {
                return;
            }
            session.reply();
            if (tooManyFailures()) {
                log.info("[{}] too many failed logins, closing (user {})", sessionId, LogText.of(user == null ? "-" : user));
                session.closeForTooMany();
            } else {
                session.goOn();
            }
        };
        if (delay.isZero()) {
            answer.run();
        } else {
            loop.schedule(SessionLog.carried(answer), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Whether the session has failed {@code auth-failures} times and must close. */
    private boolean tooManyFailures() {
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

package org.popbridge.oauth;

import java.time.Duration;

/**
 * When {@link AccessTokens} refreshes and how it backs off.
 *
 * <p>A token is refreshed once less than {@code ahead}, or less than {@code aheadPercent} of its
 * lifetime, remains, whichever is shorter: a one-hour token five minutes before it expires, and a
 * token shorter than 50 minutes at its last tenth (the shorter of the two, or a five-minute token
 * would be refreshed at every login). Until it expires, callers keep getting the old token while
 * the refresh runs. After a failed refresh a user waits {@code firstBackoff}, doubled per further
 * failure up to {@code maxBackoff}; there is no jitter because a retry is started only by a client
 * asking, never by a timer. {@code maxUsers} users are kept, each dropped after {@code idle}
 * without a request: a day by default, longer than any token's lifetime, so that the state of a
 * user who logs in daily (its rotated refresh token, a refusal of its grant) is not forgotten
 * between two logins; the store has the rotated token too, for a login after that.
 */
public record RefreshPolicy(Duration ahead, int aheadPercent, Duration firstBackoff, Duration maxBackoff,
        long maxUsers, Duration idle) {

    public static final RefreshPolicy DEFAULT = new RefreshPolicy(Duration.ofMinutes(5), 10, Duration.ofSeconds(5),
            Duration.ofMinutes(5), 10_000, Duration.ofDays(1));

    public RefreshPolicy {
        if (ahead.isNegative() || aheadPercent < 0 || aheadPercent > 50 || firstBackoff.isNegative()
                || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0 || maxUsers < 1
                || idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("refresh policy out of range");
        }
    }

    /** How long before its expiry this token is refreshed. */
    Duration margin(AccessToken token) {
        Duration share = token.lifetime().multipliedBy(aheadPercent).dividedBy(100);
        return share.compareTo(ahead) < 0 ? share : ahead;
    }

    /** The wait after the given number of failures in a row (1 or more). */
    Duration backoff(int failures) {
        Duration wait = firstBackoff;
        for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}

package org.popbridge.proxy.core.session;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limits on clients that one proxy shares across its listeners and event loops, as
 * Dovecot's and nginx's: connections in all and per address, sessions per user and address,
 * the time to log in, failed logins per session and the delay before each failure's reply.
 * Addresses in an exempt network skip the per-address limits (a trusted office NAT, the
 * monitoring host). Counters are per process and thread-safe.
 *
 * @param connections client connections at once, all listeners together
 * @param connectionsPerIp client connections at once from one address
 * @param connectionsPerUserIp logged-in sessions at once of one user from one address (Dovecot's mail_max_userip_connections)
 * @param loginTimeout from connecting to a successful login, whatever the client sends meanwhile
 * @param authFailures failed logins in one session before it is closed
 * @param authFailureDelay the delay before a failed login's reply; it doubles with each further
 *     failure from the same address within {@link AuthPenalties#MEMORY}, up to {@link AuthPenalties#MAX_DELAY}
 * @param exempt networks that skip the per-address limits
 */
public record ClientLimits(int connections, int connectionsPerIp, int connectionsPerUserIp, Duration loginTimeout,
                           int authFailures, Duration authFailureDelay, List<CidrBlock> exempt,
                           Counters counters) {

    public ClientLimits {
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        exempt = List.copyOf(exempt);
        Objects.requireNonNull(counters, "counters");
    }

    /** Limits with fresh counters. */
    public ClientLimits(int connections, int connectionsPerIp, int connectionsPerUserIp, Duration loginTimeout,
                        int authFailures, Duration authFailureDelay, List<CidrBlock> exempt) {
        this(connections, connectionsPerIp, connectionsPerUserIp, loginTimeout, authFailures, authFailureDelay,
                exempt, new Counters());
    }

    /** Dovecot's and nginx's defaults, near enough: 1,000 connections, 50 per address, 10 sessions per user and address, 3 minutes to log in, 3 failures, 2 s. */
    public static ClientLimits defaults() {
        return new ClientLimits(1000, 50, 10, Duration.ofMinutes(3), 3, Duration.ofSeconds(2), List.of());
    }

    /**
     * These limits, counted in {@code live}: a reload brings new limits, while the connections
     * open, the sessions per user and the failure penalties go on being counted where they were.
     */
    public ClientLimits countedIn(Counters live) {
        return new ClientLimits(connections, connectionsPerIp, connectionsPerUserIp, loginTimeout, authFailures,
                authFailureDelay, exempt, live);
    }

    /** Limits are equal when their settings are: the live counters are not a setting. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClientLimits that && connections == that.connections
                && connectionsPerIp == that.connectionsPerIp && connectionsPerUserIp == that.connectionsPerUserIp
                && loginTimeout.equals(that.loginTimeout) && authFailures == that.authFailures
                && authFailureDelay.equals(that.authFailureDelay) && exempt.equals(that.exempt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connections, connectionsPerIp, connectionsPerUserIp, loginTimeout, authFailures,
                authFailureDelay, exempt);
    }

    @Override
    public String toString() {
        return "ClientLimits[connections=" + connections + ", connectionsPerIp=" + connectionsPerIp
                + ", connectionsPerUserIp=" + connectionsPerUserIp + ", loginTimeout=" + loginTimeout
                + ", authFailures=" + authFailures + ", authFailureDelay=" + authFailureDelay + ", exempt=" + exempt + "]";
    }

    /** Whether {@code address} is in an exempt network. */
    public boolean exempt(InetAddress address) {
        for (CidrBlock block : exempt) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The live counts behind the limits: connections in all, per address, sessions per user and address. */
    public static final class Counters {
        private final AtomicInteger total = new AtomicInteger();
        private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, AtomicInteger> perUserIp = new ConcurrentHashMap<>();
        private final AuthPenalties penalties = new AuthPenalties();

        /** The failed-login memory per address. */
        public AuthPenalties penalties() {
            return penalties;
        }

        /** Counts a connection in if both limits allow it; {@code perIpLimit} &lt; 0 means none for this address. */
        Admission admit(InetAddress address, int totalLimit, int perIpLimit) {
            if (total.incrementAndGet() > totalLimit) {
                total.decrementAndGet();
                return Admission.TOO_MANY;
            }
            if (perIpLimit >= 0) {
                AtomicInteger count = perIp.computeIfAbsent(address, ignored -> new AtomicInteger());
                if (count.incrementAndGet() > perIpLimit) {
                    release(count, address, perIp);
                    total.decrementAndGet();
                    return Admission.TOO_MANY_FROM_ADDRESS;
                }
            }
            return Admission.ADMITTED;
        }

        /** A connection admitted with {@code counted} per address has ended. */
        void leave(InetAddress address, boolean countedPerIp) {
            total.decrementAndGet();
            if (countedPerIp) {
                AtomicInteger count = perIp.get(address);
                if (count != null) {
                    release(count, address, perIp);
                }
            }
        }

        /** Counts a logged-in session of {@code user} from {@code address} in, if under {@code limit}. */
        boolean enterSession(String user, InetAddress address, int limit) {
            String key = user.toLowerCase(java.util.Locale.ROOT) + "\n" + address.getHostAddress();
            AtomicInteger count = perUserIp.computeIfAbsent(key, ignored -> new AtomicInteger());
            if (count.incrementAndGet() > limit) {
                release(count, key, perUserIp);
                return false;
            }
            return true;
        }

        void leaveSession(String user, InetAddress address) {
            String key = user.toLowerCase(java.util.Locale.ROOT) + "\n" + address.getHostAddress();
            AtomicInteger count = perUserIp.get(key);
            if (count != null) {
                release(count, key, perUserIp);
            }
        }

        /** Connections open now, for tests and metrics. */
        public int open() {
            return total.get();
        }

        private static <K> void release(AtomicInteger count, K key, ConcurrentHashMap<K, AtomicInteger> map) {
            if (count.decrementAndGet() <= 0) {
                // Removed only while still zero, so a concurrent increment is never lost.
                map.remove(key, count);
                if (count.get() > 0) {
                    map.merge(key, count, (a, b) -> a);
                }
            }
        }
    }

    /** What {@link Counters#admit} decided. */
    enum Admission { ADMITTED, TOO_MANY, TOO_MANY_FROM_ADDRESS }
}

package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.popbridge.proxy.core.transport.Transport;

/**
 * The {@code transport:} block: which of netty's transports carries the sockets, and how long
 * an event loop busy-polls for a server's answer before it sleeps. Both are read at start; a
 * reload keeps the running ones.
 *
 * @param type auto (epoll where its native library loads, else NIO), epoll, io_uring, or nio;
 *     io_uring only when asked for, as {@link Transport} says why
 * @param busyPoll how long a worker loop polls without blocking while it awaits a server's
 *     answer; zero blocks at once (the classic event loop), and io_uring's loops can do no other
 */
public record TransportConfig(Type type, Duration busyPoll) {

    /**
     * Off, as HAProxy's busy-polling is: spinning pays only in some cases. On a quiet 2-core VM
     * 50 µs halved the round trip of light or back-to-back NOOPs (372 to 174 µs at 100 a second),
     * but at 1,000-5,000 a second, with the mail server on the same cores, it added 30-60 µs at
     * two to three times the CPU: the server is woken on the spinning CPU and waits behind the
     * spin. A server across a network answers after the spin has ended. See docs/BENCHMARKS.md.
     */
    public static final Duration DEFAULT_BUSY_POLL = Duration.ZERO;
    /** Past this, a loop spins longer than a LAN round trip takes, burning CPU for nothing. */
    static final Duration MAX_BUSY_POLL = Duration.ofMillis(1);

    /** What {@code type:} may say. */
    public enum Type {
        AUTO, EPOLL, IO_URING, NIO;

        static Type parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected auto, epoll, io_uring or nio, got '" + text + "'");
            }
        }
    }

    public TransportConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(busyPoll, "busyPoll");
        requireBusyPoll(busyPoll, type);
        if (type == Type.EPOLL && Transport.epollUnavailableReason() != null) {
            throw new IllegalArgumentException("epoll does not load here (" + Transport.epollUnavailableReason()
                    + "); use auto or nio");
        }
        if (type == Type.IO_URING && Transport.ioUringUnavailableReason() != null) {
            throw new IllegalArgumentException("io_uring does not load here (" + Transport.ioUringUnavailableReason()
                    + "); use auto, epoll or nio");
        }
    }

    @JsonCreator
    static TransportConfig of(@JsonProperty("type") String type, @JsonProperty("busy-poll") Duration busyPoll) {
        Type chosen = type == null ? Type.AUTO : SettingException.binding("type", () -> Type.parse(type));
        Duration spin = busyPoll == null ? DEFAULT_BUSY_POLL : busyPoll;
        SettingException.binding("busy-poll", () -> requireBusyPoll(spin, chosen));
        return SettingException.binding("type", () -> new TransportConfig(chosen, spin));
    }

    private static Duration requireBusyPoll(Duration busyPoll, Type type) {
        if (busyPoll.isNegative() || busyPoll.compareTo(MAX_BUSY_POLL) > 0) {
            throw new IllegalArgumentException("must be between 0 and " + Durations.format(MAX_BUSY_POLL)
                    + ", got " + Durations.format(busyPoll));
        }
        if (!busyPoll.isZero() && !transportFor(type).busyPolls()) {
            throw new IllegalArgumentException("io_uring's loops wait in the kernel and cannot busy-poll; use 0,"
                    + " or type epoll or nio");
        }
        return busyPoll;
    }

    /** No {@code transport:} block: epoll where it loads, no busy-polling. */
    public static TransportConfig defaults() {
        return new TransportConfig(Type.AUTO, DEFAULT_BUSY_POLL);
    }

    /** The transport this says: for auto, epoll where it loads, else NIO. */
    public Transport transport() {
        return transportFor(type);
    }

    private static Transport transportFor(Type type) {
        return switch (type) {
            case EPOLL -> Transport.EPOLL;
            case IO_URING -> Transport.IO_URING;
            case NIO -> Transport.NIO;
            case AUTO -> Transport.epollUnavailableReason() == null ? Transport.EPOLL : Transport.NIO;
        };
    }

    /** Why epoll is not used, or null when it is: the file's choice, or why the native library did not load. */
    public String whyNotEpoll() {
        return switch (type) {
            case EPOLL -> null;
            case IO_URING -> "type: io_uring";
            case NIO -> "type: nio";
            case AUTO -> Transport.epollUnavailableReason();
        };
    }
}

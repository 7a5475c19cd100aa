package org.popbridge.proxy.server;

import io.netty.channel.unix.Errors;
import java.net.BindException;
import org.popbridge.proxy.config.ListenerConfig;

/**
 * Why a listener could not be bound, in words with the fix: a port below 1024 refused to a
 * non-root user is the common case on a fresh install (110, 995, 587, 465), and the kernel's
 * "Permission denied" alone does not say that a capability is what is missing.
 */
final class ListenFailure {

    /** Ports below this need root or CAP_NET_BIND_SERVICE on Linux. */
    static final int FIRST_UNPRIVILEGED_PORT = 1024;

    private ListenFailure() {
    }

    static String describe(ListenerConfig listener, Throwable cause) {
        String text = "cannot listen on " + listener.url() + ": " + cause.getMessage();
        boolean bindFailed = isBindFailure(cause);
        if (bindFailed && listener.port() > 0 && listener.port() < FIRST_UNPRIVILEGED_PORT
                && cause.getMessage() != null && cause.getMessage().contains("Permission denied")) {
            return text + " (ports below " + FIRST_UNPRIVILEGED_PORT + " need the CAP_NET_BIND_SERVICE capability: "
                    + "give it to java once with setcap cap_net_bind_service=+ep on the java binary, or run popbridge "
                    + "under systemd with AmbientCapabilities=CAP_NET_BIND_SERVICE, or listen on a port above 1023)";
        }
        if (bindFailed && cause.getMessage() != null && cause.getMessage().contains("in use")) {
            return text + " (another program, or another popbridge, listens there already)";
        }
        return text;
    }

    /** The JDK says BindException; the native epoll transport says bind(..) failed with the errno's text. */
    private static boolean isBindFailure(Throwable cause) {
        return cause instanceof BindException
                || cause instanceof Errors.NativeIoException failed && failed.getMessage() != null
                        && failed.getMessage().startsWith("bind(");
    }
}

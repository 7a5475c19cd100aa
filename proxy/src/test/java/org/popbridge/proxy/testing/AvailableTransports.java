package org.popbridge.proxy.testing;

import io.netty.channel.epoll.Epoll;
import java.util.ArrayList;
import java.util.List;
import org.popbridge.proxy.core.transport.Transport;

/** The transports that load on the machine running the tests: what a test runs on each. */
public final class AvailableTransports {

    private AvailableTransports() {
    }

    /** NIO always; epoll and io_uring where the kernel and the native library allow. */
    public static List<Transport> all() {
        List<Transport> available = new ArrayList<>();
        if (Epoll.isAvailable()) {
            available.add(Transport.EPOLL);
        }
        if (Transport.ioUringUnavailableReason() == null) {
            available.add(Transport.IO_URING);
        }
        available.add(Transport.NIO);
        return available;
    }
}

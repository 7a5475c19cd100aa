/**
 * Which of netty's transports carries the sockets (the native epoll transport on Linux, NIO
 * elsewhere) and the event loops that run on it, whose workers may busy-poll for a server's
 * answer before they sleep. One choice per process; every event loop, listener and upstream connection uses it.
 * It also holds the fixed octets the protocols' codecs hand those sockets ({@link
 * org.popbridge.proxy.core.transport.WireConstant}), so each protocol need not make its own.
 */
package org.popbridge.proxy.core.transport;

/**
 * Which of netty's transports carries the sockets: the native epoll transport on Linux, NIO
 * elsewhere. One choice per process; every event loop, listener and upstream connection uses it.
 */
package org.popbridge.proxy.core.transport;

package org.popbridge.proxy.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A one-connection IMAP server for faults GreenMail cannot make: it sends {@code greeting},
 * then for every line received (ISO-8859-1, without CRLF) writes what {@code script} returns,
 * or closes the connection when it returns null; a reply ending in {@link #CLOSE} is written
 * without that marker and then the connection closes. A {@link Responder} may instead write
 * its reply as a stream, for messages too large to hold (see {@link StreamingImapMailbox}).
 */
public final class ScriptedImapServer implements AutoCloseable {

    public static final String CLOSE = "<close>";

    /** Answers one line by writing to the connection; false closes it once the answer is flushed. */
    @FunctionalInterface
    public interface Responder {
        boolean respond(String line, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicInteger connectionsEnded = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Socket connection;
    private volatile SSLContext startTls;
    private volatile String injectedAfterStartTls = "";
    private volatile boolean readsProxyHeader;
    private volatile byte[] proxyHeader;

    public ScriptedImapServer(String greeting, Function<String, String> script) throws IOException {
        this(greeting, (line, out) -> {
            String reply = script.apply(line);
            if (reply == null) {
                return false;
            }
            boolean close = reply.endsWith(CLOSE);
            out.write(reply.substring(0, reply.length() - (close ? CLOSE.length() : 0))
                    .getBytes(StandardCharsets.ISO_8859_1));
            return !close;
        });
    }

    public ScriptedImapServer(String greeting, Responder responder) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(greeting, responder), "scripted-imap");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Answers STARTTLS (RFC 9051 section 6.2.1) with OK and a TLS handshake as {@code context}'s
     * server; {@code injected} is written right after the OK, in the same packet, as a
     * man in the middle would: the client must never take it for a response.
     */
    public ScriptedImapServer offerStartTls(SSLContext context, String injected) {
        this.injectedAfterStartTls = injected;
        this.startTls = context;
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Reads a PROXY header (v1 or v2) off the connection before greeting. */
    public ScriptedImapServer readProxyHeader() {
        this.readsProxyHeader = true;
        return this;
    }

    /** The PROXY header read, octet for octet; null if none was. */
    public byte[] proxyHeader() {
        return proxyHeader;
    }

    /** Whether a connection was served to its end (the proxy closed it, or the responder ended it). */
    public boolean finished() {
        return connectionsEnded.get() > 0;
    }

    public List<String> received() {
        return List.copyOf(received);
    }

    /** Serves one connection after another, so a client that logs in again on a new connection is served too. */
    private void serve(String greeting, Responder responder) {
        while (!server.isClosed()) {
            serveOne(greeting, responder);
            connectionsEnded.incrementAndGet();
        }
    }

    private void serveOne(String greeting, Responder responder) {
        try (Socket socket = server.accept()) {
            // What a responder flushes goes out at once, so a reply written in pieces arrives in pieces.
            socket.setTcpNoDelay(true);
            connection = socket;
            InputStream in = socket.getInputStream();
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 65536);
            if (readsProxyHeader) {
                proxyHeader = ProxyHeaders.read(in);
            }
            out.write(greeting.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String line;
            while ((line = readLine(in)) != null) {
                received.add(line);
                if (startTls != null && line.endsWith(" STARTTLS") && !(connection instanceof SSLSocket)) {
                    String tag = line.substring(0, line.indexOf(' '));
                    out.write((tag + " OK Begin TLS negotiation now\r\n" + injectedAfterStartTls)
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    SSLSocket tls = (SSLSocket) startTls.getSocketFactory().createSocket(socket, null, socket.getPort(),
                            true);
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                    connection = tls;
                    in = tls.getInputStream();
                    out = new BufferedOutputStream(tls.getOutputStream(), 65536);
                    continue;
                }
                boolean more = responder.respond(line, out);
                out.flush();
                if (!more) {
                    return;
                }
            }
        } catch (IOException e) {
            // the test sees the effect on the link
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] octets = line.toByteArray();
                int length = octets.length > 0 && octets[octets.length - 1] == '\r' ? octets.length - 1 : octets.length;
                return new String(octets, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        server.close();
        Socket socket = connection;
        if (socket != null) {
            // Ends a reply still being written, so the thread stops.
            socket.close();
        }
        thread.join(2000);
    }
}

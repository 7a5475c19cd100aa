package org.popbridge.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A byte-level POP3 client for tests: it sends exact lines and reads exact octets, so what
 * the proxy sends can be compared with what the upstream sent.
 */
public final class RawPop3Client implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawPop3Client(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
    }

    public static RawPop3Client plain(int port) throws IOException {
        return new RawPop3Client(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Implicit TLS, trusting only the given certificate. */
    public static RawPop3Client tls(int port, Path trusted) throws Exception {
        SSLSocket socket = (SSLSocket) trusting(trusted).getSocketFactory().createSocket("127.0.0.1", port);
        socket.startHandshake();
        return new RawPop3Client(socket);
    }

    /**
     * Implicit TLS with a client context of the test's choosing; {@code setup} may restrict the
     * protocols and cipher suites or set the server name (SNI) before the handshake.
     */
    public static RawPop3Client tls(int port, SSLContext context, Consumer<SSLSocket> setup) throws Exception {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        setup.accept(socket);
        socket.startHandshake();
        return new RawPop3Client(socket);
    }

    /** Upgrades this connection after a +OK to STLS, with a client context and setup of the test's choosing. */
    public void startTls(SSLContext context, Consumer<SSLSocket> setup) throws Exception {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.setUseClientMode(true);
        setup.accept(tls);
        tls.startHandshake();
        socket = tls;
        in = new java.io.BufferedInputStream(tls.getInputStream(), 65536);
        out = tls.getOutputStream();
    }

    /** The certificate the server presented (the leaf). */
    public X509Certificate peerCertificate() throws Exception {
        return (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    public String cipherSuite() {
        return ((SSLSocket) socket).getSession().getCipherSuite();
    }

    /** Upgrades this connection after a +OK to STLS. */
    public void startTls(Path trusted) throws Exception {
        SSLSocket tls = (SSLSocket) trusting(trusted).getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = new java.io.BufferedInputStream(tls.getInputStream(), 65536);
        out = tls.getOutputStream();
    }

    /** The certificates the server presented (TLS connections only). */
    public java.security.cert.Certificate[] peerCertificates() throws javax.net.ssl.SSLPeerUnverifiedException {
        return ((SSLSocket) socket).getSession().getPeerCertificates();
    }

    public String protocol() {
        return socket instanceof SSLSocket tls ? tls.getSession().getProtocol() : "plain";
    }

    public static SSLContext trusting(Path certificate) throws Exception {
        X509Certificate cert;
        try (InputStream pem = java.nio.file.Files.newInputStream(certificate)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("trusted", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Sends a line with CRLF. */
    public RawPop3Client send(String line) throws IOException {
        return sendRaw(line + "\r\n");
    }

    /** Sends exactly these characters (ISO-8859-1), for pipelining or malformed input. */
    public RawPop3Client sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads one line without its CRLF; null at end of stream. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends a command and returns its one-line reply. */
    public String command(String line) throws IOException {
        send(line);
        return readLine();
    }

    /**
     * Reads a multi-line body up to and including CRLF "." CRLF, exactly as sent (still stuffed).
     * Throws if the connection ends first.
     */
    public byte[] readBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        // The last four octets seen; the body ends at "\n.\r\n", or ".\r\n" as its very first line.
        int window = 0;
        long count = 0;
        int b;
        while ((b = in.read()) >= 0) {
            body.write(b);
            count++;
            window = (window << 8) | b;
            if (b == '\n' && ((window & 0xFFFFFF) == 0x2E0D0A) && (count == 3 || (window >>> 24) == '\n')) {
                return body.toByteArray();
            }
        }
        throw new IOException("connection closed after " + body.size() + " octets, before the terminating line");
    }

    /**
     * Reads a multi-line body like a slow client: {@code chunk} octets, then a pause of
     * {@code pauseMillis}. Feeds the octets (stuffed, terminator included) to the digest and
     * returns how many there were, so a large body is never held in memory.
     */
    public long readBodySlowly(int chunk, long pauseMillis, java.security.MessageDigest digest) throws Exception {
        byte[] buffer = new byte[chunk];
        int window = 0;
        long count = 0;
        while (true) {
            in.mark(chunk);
            int n = in.read(buffer, 0, chunk);
            if (n < 0) {
                throw new IOException("connection closed after " + count + " octets, before the terminating line");
            }
            for (int i = 0; i < n; i++) {
                int b = buffer[i] & 0xFF;
                count++;
                window = (window << 8) | b;
                if (b == '\n' && (window & 0xFFFFFF) == 0x2E0D0A && (count == 3 || (window >>> 24) == '\n')) {
                    digest.update(buffer, 0, i + 1);
                    in.reset();
                    in.skip(i + 1);
                    return count;
                }
            }
            digest.update(buffer, 0, n);
            Thread.sleep(pauseMillis);
        }
    }

    /** Reads everything until the server closes the connection. */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** Logs in with USER and PASS; fails the test if either is refused. */
    public RawPop3Client login(String user, String password) throws IOException {
        expectOk(command("USER " + user));
        expectOk(command("PASS " + password));
        return this;
    }

    public static String expectOk(String reply) {
        if (reply == null || !reply.startsWith("+OK")) {
            throw new AssertionError("expected +OK, got " + reply);
        }
        return reply;
    }

    public boolean isClosedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** Drops the connection without QUIT. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}

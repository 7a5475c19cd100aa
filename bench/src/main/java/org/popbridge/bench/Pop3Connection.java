package org.popbridge.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A blocking RFC 1939 client that only does what the benchmark needs. Every socket has a
 * connect timeout and a read timeout, and every reply has a size bound, so no measurement can
 * hang or read forever.
 */
final class Pop3Connection implements Closeable {

    static final int CONNECT_TIMEOUT_MS = 10_000;
    static final int READ_TIMEOUT_MS = 30_000;
    /** The read buffer of a session that moves much mail; many-session runs take a small one. */
    static final int LARGE_BUFFER = 64 * 1024;
    static final int SMALL_BUFFER = 8 * 1024;
    private static final int MAX_LINE = 8192;
    /** Bounds on one multi-line reply: far above the benchmark's largest message (10 MiB) and mailbox (5,000). */
    private static final long MAX_REPLY_OCTETS = 64L << 20;
    private static final int MAX_REPLY_LINES = 1_000_000;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf;
    private int pos;
    private int limit;

    private Pop3Connection(Socket socket, int bufferSize) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.buf = new byte[bufferSize];
    }

    /** Connects, does the TLS handshake for a TLS endpoint, and reads the +OK greeting. */
    static Pop3Connection open(Endpoint endpoint, SSLContext tls) throws IOException {
        return open(endpoint, tls, LARGE_BUFFER);
    }

    /** As {@link #open(Endpoint, SSLContext)}, with a read buffer of BUFFER-SIZE octets. */
    static Pop3Connection open(Endpoint endpoint, SSLContext tls, int bufferSize) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MS);
            raw.setSoTimeout(READ_TIMEOUT_MS);
            Socket socket = raw;
            if (endpoint.tls()) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory()
                        .createSocket(raw, Endpoint.TLS_NAME, endpoint.port(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                socket = ssl;
            }
            Pop3Connection connection = new Pop3Connection(socket, bufferSize);
            expectOk("greeting", connection.readLine());
            return connection;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The negotiated TLS protocol and cipher suite, or "plain". */
    String tlsDescription() {
        if (socket instanceof SSLSocket ssl) {
            return ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite();
        }
        return "plain";
    }

    void login(Account account) throws IOException {
        command("USER " + account.user());
        command("PASS " + account.password(), "PASS");
    }

    /** Sends a single-line command and returns its +OK status line. */
    String command(String line) throws IOException {
        return command(line, line);
    }

    private String command(String line, String shownAs) throws IOException {
        send(line);
        return expectOk(shownAs, readLine());
    }

    /** LIST: the size in octets of each message, index 0 being message 1. */
    long[] list() throws IOException {
        command("LIST");
        List<String> lines = readMultilineLines();
        long[] sizes = new long[lines.size()];
        for (int i = 0; i < sizes.length; i++) {
            String[] parts = lines.get(i).split(" ");
            if (parts.length != 2 || Integer.parseInt(parts[0]) != i + 1) {
                throw new Pop3Exception("LIST: unexpected line " + lines.get(i));
            }
            sizes[i] = Long.parseLong(parts[1]);
        }
        return sizes;
    }

    /** UIDL: how many messages it listed. */
    int uidl() throws IOException {
        command("UIDL");
        return readMultilineLines().size();
    }

    /** TOP n 0: the header block's lines, without CRLF (dot-stuffing undone). */
    List<String> topHeaders(int message) throws IOException {
        command("TOP " + message + " 0");
        return readMultilineLines();
    }

    /** RETR n: reads the whole message and returns its octets, CRLF included, terminator excluded. */
    long retr(int message) throws IOException {
        command("RETR " + message);
        return skipMultilineBody();
    }

    /**
     * RETR n: the SHA-256 of the message as the server holds it, CRLF included, dot-stuffing
     * undone, terminator excluded; for checking that two endpoints serve the same octets.
     */
    byte[] retrDigest(int message) throws IOException {
        command("RETR " + message);
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String line : readMultilineLines()) {
            sha256.update(line.getBytes(StandardCharsets.ISO_8859_1));
            sha256.update(CRLF);
        }
        return sha256.digest();
    }

    /** QUIT, then close. */
    void quit() throws IOException {
        try {
            command("QUIT");
        } finally {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String expectOk(String what, String status) throws Pop3Exception {
        if (!status.startsWith("+OK")) {
            throw new Pop3Exception(what + ": " + (status.length() > 120 ? status.substring(0, 120) : status));
        }
        return status;
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        pos = 0;
        limit = n;
    }

    /** One CRLF-terminated line, without the CRLF. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (pos == limit) {
                fill();
            }
            byte b = buf[pos++];
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) (b & 0xff));
            if (line.length() > MAX_LINE) {
                throw new Pop3Exception("line longer than " + MAX_LINE + " octets");
            }
        }
    }

    private List<String> readMultilineLines() throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() <= MAX_REPLY_LINES) {
            String line = readLine();
            if (line.equals(".")) {
                return lines;
            }
            lines.add(line.startsWith(".") ? line.substring(1) : line);
        }
        throw new Pop3Exception("multi-line reply longer than " + MAX_REPLY_LINES + " lines");
    }

    private static final int LINE_START = 0;
    private static final int MID_LINE = 1;
    private static final int DOT = 2;
    private static final int DOT_CR = 3;

    /**
     * Reads a multi-line body up to the CRLF.CRLF terminator without keeping it, scanning
     * whole buffers for LF so the client costs little next to the servers it measures.
     * Dot-stuffed octets are counted as received (the benchmark's mail has no leading dots).
     */
    private long skipMultilineBody() throws IOException {
        long octets = 0;
        int state = LINE_START;
        while (octets <= MAX_REPLY_OCTETS) {
            if (pos == limit) {
                fill();
            }
            if (state == MID_LINE) {
                int i = pos;
                while (i < limit && buf[i] != '\n') {
                    i++;
                }
                octets += i - pos;
                if (i == limit) {
                    pos = limit;
                    continue;
                }
                pos = i + 1;
                octets++;
                state = LINE_START;
                continue;
            }
            byte b = buf[pos++];
            octets++;
            switch (state) {
                case LINE_START -> state = b == '.' ? DOT : b == '\n' ? LINE_START : MID_LINE;
                case DOT -> state = b == '\r' ? DOT_CR : b == '\n' ? LINE_START : MID_LINE;
                case DOT_CR -> {
                    if (b == '\n') {
                        return octets - 3;
                    }
                    state = MID_LINE;
                }
                default -> throw new IllegalStateException();
            }
        }
        throw new Pop3Exception("multi-line reply longer than " + MAX_REPLY_OCTETS + " octets");
    }
}

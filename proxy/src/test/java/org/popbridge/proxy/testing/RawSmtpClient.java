package org.popbridge.proxy.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A byte-level SMTP client for tests: exact lines out, whole replies (all their lines) in. */
public final class RawSmtpClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawSmtpClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        this.in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
    }

    public static RawSmtpClient plain(int port) throws IOException {
        return new RawSmtpClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Implicit TLS, trusting only the given certificate. */
    public static RawSmtpClient tls(int port, java.nio.file.Path trusted) throws Exception {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) RawPop3Client.trusting(trusted).getSocketFactory()
                .createSocket("127.0.0.1", port);
        socket.startHandshake();
        return new RawSmtpClient(socket);
    }

    /** Upgrades this connection after a 220 to STARTTLS, trusting only the given certificate. */
    public void startTls(java.nio.file.Path trusted) throws Exception {
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) RawPop3Client.trusting(trusted).getSocketFactory()
                .createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        in = new BufferedInputStream(tls.getInputStream(), 65536);
        out = tls.getOutputStream();
    }

    /** Sends raw octets as they are. */
    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a line with CRLF and reads the reply to it. */
    public String command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** One whole reply, its lines joined with "\n"; null if the connection closed first. */
    public String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                return lines.isEmpty() ? null : String.join("\n", lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return String.join("\n", lines);
            }
        }
    }

    /** EHLO, then AUTH PLAIN with an initial response; returns the AUTH reply. */
    public String logIn(String user, String password) throws IOException {
        reply();
        command("EHLO client.example");
        String response = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
        return command("AUTH PLAIN " + response);
    }

    /** EHLO, then AUTH PLAIN, when the greeting was already read. */
    public String logInWithoutGreeting(String user, String password) throws IOException {
        command("EHLO client.example");
        String response = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
        return command("AUTH PLAIN " + response);
    }

    /** Whether the server closed the connection (reading gives end of stream). */
    public boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package org.popbridge.proxy.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small submission server for tests, with plain blocking sockets and independent of the
 * proxy: it logs one user in with AUTH PLAIN or LOGIN, takes MAIL, RCPT and DATA, and can fail
 * where a real one might: answer the final "." with any reply, close in the middle of the
 * data, or never answer it. It records the commands it saw and the data of each message it
 * accepted, stuffed as it came over the wire. The user name and password are the octets
 * expected, one char each (ISO-8859-1), so a test can check that 8-bit ones arrive unchanged.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    private final String user;
    private final String password;
    private final ServerSocket serverSocket;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<String> commandsSeen = new CopyOnWriteArrayList<>();
    private final List<byte[]> accepted = new CopyOnWriteArrayList<>();
    private volatile List<String> extensions = List.of("PIPELINING", "SIZE 10485760", "8BITMIME", "AUTH PLAIN LOGIN",
            "ENHANCEDSTATUSCODES", "XCLIENT ADDR NAME");
    private volatile String endOfDataReply = "250 2.0.0 Ok: queued as SCRIPTED1";
    private volatile long dieAfterDataOctets = -1;
    private volatile boolean silentAfterData;
    private volatile boolean greets = true;
    private volatile String dataReply = "354 End data with <CR><LF>.<CR><LF>";
    private volatile boolean digestOnly;
    private final List<byte[]> digests = new CopyOnWriteArrayList<>();
    private final List<byte[]> proxyHeaders = new CopyOnWriteArrayList<>();
    private volatile boolean readsProxyHeader;
    private volatile String tokenUser;
    private volatile String token;

    public ScriptedSmtpServer(String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The EHLO lines after the greeting line. */
    public ScriptedSmtpServer extensions(List<String> lines) {
        this.extensions = List.copyOf(lines);
        return this;
    }

    /** What the server answers the final "." of a message with. */
    public ScriptedSmtpServer answerEndOfData(String reply) {
        this.endOfDataReply = reply;
        return this;
    }

    /** Keeps only a SHA-256 of each message's data (as {@link #acceptedMessages()} would hold it), for huge ones. */
    public ScriptedSmtpServer digestOnly() {
        this.digestOnly = true;
        return this;
    }

    /** The SHA-256 of each message answered with a 2yz, when {@link #digestOnly()}. */
    public List<byte[]> acceptedDigests() {
        return List.copyOf(digests);
    }

    /** What the server answers DATA with; anything but 354 refuses the data. */
    public ScriptedSmtpServer answerData(String reply) {
        this.dataReply = reply;
        return this;
    }

    /** Closes the connection once this many octets of a message's data have arrived. */
    public ScriptedSmtpServer dieAfterDataOctets(long octets) {
        this.dieAfterDataOctets = octets;
        return this;
    }

    /** Reads the whole message but never answers its ".". */
    public ScriptedSmtpServer silentAfterData() {
        this.silentAfterData = true;
        return this;
    }

    /** Accepts connections but never greets. */
    public ScriptedSmtpServer neverGreets() {
        this.greets = false;
        return this;
    }

    /**
     * Takes AUTH XOAUTH2 and OAUTHBEARER (RFC 7628), with an initial response or after an empty
     * challenge, for {@code user} with {@code accessToken}; a command line over 512 octets gets 500; any other token gets the error challenge (334 and a base64 JSON),
     * and once answered 535. Offer them in {@link #extensions} ("AUTH PLAIN LOGIN XOAUTH2").
     */
    public ScriptedSmtpServer acceptToken(String user, String accessToken) {
        this.tokenUser = user;
        this.token = accessToken;
        return this;
    }

    /** Reads a PROXY header (v1 or v2) off each connection before greeting. */
    public ScriptedSmtpServer readProxyHeader() {
        this.readsProxyHeader = true;
        return this;
    }

    /** The PROXY headers read, octet for octet, one per connection. */
    public List<byte[]> proxyHeaders() {
        return List.copyOf(proxyHeaders);
    }

    /** How many connections were made to this server. */
    public int connectionsAccepted() {
        return connections.size();
    }

    public List<String> commandsSeen() {
        return List.copyOf(commandsSeen);
    }

    /** The data of each message answered with a 2yz, dot-stuffed as it came, without the final ".". */
    public List<byte[]> acceptedMessages() {
        return List.copyOf(accepted);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                connections.add(socket);
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (readsProxyHeader) {
                proxyHeaders.add(ProxyHeaders.read(in));
            }
            if (!greets) {
                in.read();
                return;
            }
            write(out, "220 scripted.test ESMTP");
            String line;
            while ((line = line(in)) != null) {
                commandsSeen.add(line);
                if (line.length() + 2 > 512) {
                    // RFC 5321 section 4.5.3.1.4, as Dovecot's submission enforces it (AUTH lines too).
                    write(out, "500 5.5.2 Line too long");
                    continue;
                }
                String keyword = line.split(" ", 2)[0].toUpperCase();
                switch (keyword) {
                    case "EHLO" -> {
                        StringBuilder reply = new StringBuilder("250-scripted.test");
                        for (int i = 0; i < extensions.size(); i++) {
                            reply.append("\r\n250").append(i == extensions.size() - 1 ? ' ' : '-').append(extensions.get(i));
                        }
                        write(out, reply.toString());
                    }
                    case "AUTH" -> write(out, auth(line, in, out) ? "235 2.7.0 Authentication successful"
                            : "535 5.7.8 Error: authentication failed");
                    case "MAIL", "RCPT", "RSET", "NOOP" -> write(out, "250 2.1.0 Ok");
                    case "XCLIENT" -> write(out, "220 scripted.test ESMTP");
                    case "DATA" -> {
                        write(out, dataReply);
                        if (!dataReply.startsWith("354")) {
                            continue;
                        }
                        if (digestOnly) {
                            byte[] digest = digest(in);
                            if (digest == null) {
                                return;
                            }
                            digests.add(digest);
                            write(out, endOfDataReply);
                            continue;
                        }
                        byte[] data = data(in);
                        if (data == null) {
                            return;
                        }
                        if (silentAfterData) {
                            in.read();
                            return;
                        }
                        if (endOfDataReply.startsWith("2")) {
                            accepted.add(data);
                        }
                        write(out, endOfDataReply);
                    }
                    case "QUIT" -> {
                        write(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> write(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // The proxy closed the connection: nothing to do.
        }
    }

    private boolean auth(String line, InputStream in, OutputStream out) throws IOException {
        String[] words = line.split(" ");
        String given;
        String mechanism = words[1].toUpperCase();
        if ((mechanism.equals("XOAUTH2") || mechanism.equals("OAUTHBEARER")) && token != null) {
            String response;
            if (words.length > 2) {
                response = words[2];
            } else {
                // No initial response (RFC 4954 section 4): an empty challenge asks for it.
                write(out, "334 ");
                response = line(in);
                commandsSeen.add(response == null ? "<eof>" : response);
                response = response == null ? "" : response;
            }
            if (BearerMessages.valid(mechanism, decode(response), tokenUser, token)) {
                return true;
            }
            write(out, "334 " + BearerMessages.ERROR_CHALLENGE);
            String answer = line(in);
            commandsSeen.add(answer == null ? "<eof>" : answer);
            return false;
        }
        if (words[1].equalsIgnoreCase("PLAIN")) {
            String[] fields = decode(words[2]).split("\0", -1);
            given = fields[1] + "\0" + fields[2];
        } else {
            write(out, "334 VXNlcm5hbWU6");
            String name = decode(line(in));
            write(out, "334 UGFzc3dvcmQ6");
            given = name + "\0" + decode(line(in));
        }
        return given.equals(user + "\0" + password);
    }

    /** Reads up to and without the CRLF "." CRLF terminator; null if the connection closed or the server is to die. */
    private byte[] data(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        // The last five octets, oldest first, to spot the terminator without copying the message.
        int[] tail = new int[] {-1, -1, '\r', '\n', -1};
        int c;
        while ((c = in.read()) >= 0) {
            data.write(c);
            System.arraycopy(tail, 1, tail, 0, 4);
            tail[4] = c;
            if (dieAfterDataOctets >= 0 && data.size() >= dieAfterDataOctets) {
                return null;
            }
            if (tail[0] == '\r' && tail[1] == '\n' && tail[2] == '.' && tail[3] == '\r' && tail[4] == '\n') {
                byte[] bytes = data.toByteArray();
                byte[] message = new byte[Math.max(0, bytes.length - 3)];
                System.arraycopy(bytes, 0, message, 0, message.length);
                return message;
            }
        }
        return null;
    }

    /** As {@link #data} but digesting: each octet is digested once three more came, so ".\r\n" is left out. */
    private static byte[] digest(InputStream in) throws IOException {
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int[] tail = new int[] {-1, -1, '\r', '\n', -1};
        long seen = 0;
        int c;
        while ((c = in.read()) >= 0) {
            System.arraycopy(tail, 1, tail, 0, 4);
            tail[4] = c;
            seen++;
            if (seen > 3 && tail[1] >= 0) {
                digest.update((byte) tail[1]);
            }
            if (tail[0] == '\r' && tail[1] == '\n' && tail[2] == '.' && tail[3] == '\r' && tail[4] == '\n') {
                return digest.digest();
            }
        }
        return null;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.ISO_8859_1);
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : connections) {
            socket.close();
        }
        threads.shutdownNow();
    }
}

package org.popbridge.proxy.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small RFC 1939 server for tests: it serves exact octets, can split its writes at random
 * places, can die in the middle of a RETR, and records what its clients did (did QUIT come,
 * what was deleted). It is written with plain blocking sockets, independently of the proxy.
 * The user name and password are the octets expected, one char each (ISO-8859-1), in USER
 * and PASS as in a SASL response.
 */
public final class ScriptedPop3Server implements AutoCloseable {

    public static final String TIMESTAMP = "<4711.1700000000@scripted.test>";

    private final List<MessageSource> mailbox;
    private final Set<Integer> expunged = new TreeSet<>();
    private final String user;
    private final String password;
    private final ServerSocket serverSocket;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<String> commandsSeen = new CopyOnWriteArrayList<>();
    private final List<byte[]> proxyHeaders = new CopyOnWriteArrayList<>();
    private volatile boolean readsProxyHeader;
    private volatile long userReplyHoldMillis;
    private final AtomicInteger userCommandsPipelinedOn = new AtomicInteger();
    private volatile boolean xclientInGreeting;
    private volatile List<String> capabilities =
            List.of("TOP", "UIDL", "USER", "SASL PLAIN LOGIN", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING");
    private volatile boolean lastSupported;
    private volatile boolean uidlSupported = true;
    private volatile boolean topSupported = true;
    private volatile int maxWriteChunk;
    private volatile long dieDuringRetrAfter = -1;
    private volatile SSLContext stls;
    private volatile SSLContext implicitTls;
    private volatile String[] tlsProtocols;
    private volatile String tokenUser;
    private volatile String token;
    private volatile int quits;
    private volatile int sessionsEnded;

    public ScriptedPop3Server(String user, String password, List<MessageSource> mailbox) throws IOException {
        this.user = user;
        this.password = password;
        this.mailbox = new ArrayList<>(mailbox);
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The CAPA lines offered (STLS is added when {@link #offerStls} is set). */
    public ScriptedPop3Server capabilities(List<String> lines) {
        this.capabilities = List.copyOf(lines);
        return this;
    }

    /** An RFC 1939 server may lack UIDL and TOP, which are optional; they then get -ERR. */
    public ScriptedPop3Server supportUidlAndTop(boolean uidl, boolean top) {
        this.uidlSupported = uidl;
        this.topSupported = top;
        return this;
    }

    public ScriptedPop3Server supportLast(boolean supported) {
        this.lastSupported = supported;
        return this;
    }

    /** Splits every reply into writes of 1..max octets, each flushed, to exercise every boundary. */
    /**
     * Answers USER only after {@code millis}, noting whether more of the client's octets came
     * meanwhile: a client that pipelines PASS behind USER has sent it well within that time.
     */
    public ScriptedPop3Server holdUserReply(long millis) {
        this.userReplyHoldMillis = millis;
        return this;
    }

    /** How many USER commands had more octets behind them before they were answered (see {@link #holdUserReply}). */
    public int userCommandsPipelinedOn() {
        return userCommandsPipelinedOn.get();
    }

    public ScriptedPop3Server splitWrites(int maxChunk) {
        this.maxWriteChunk = maxChunk;
        return this;
    }

    /** On RETR, sends the status line and this many body octets, then drops the connection. */
    public ScriptedPop3Server dieDuringRetrAfter(long octets) {
        this.dieDuringRetrAfter = octets;
        return this;
    }

    public ScriptedPop3Server offerStls(SSLContext context) {
        this.stls = context;
        return this;
    }

    /** Speak TLS from the first byte (RFC 8314), instead of plain. */
    public ScriptedPop3Server implicitTls(SSLContext context) {
        this.implicitTls = context;
        return this;
    }

    /** Offer only these TLS versions (implicit TLS and STLS), e.g. to play an outdated mail server. */
    public ScriptedPop3Server tlsProtocols(String... protocols) {
        this.tlsProtocols = protocols.clone();
        return this;
    }

    /**
     * Plays Dovecot's pop3-login towards a peer in its login_trusted_networks: the greeting
     * opens with {@code [XCLIENT]} and XCLIENT is taken, though CAPA does not list it.
     */
    public ScriptedPop3Server xclientInGreeting() {
        this.xclientInGreeting = true;
        return this;
    }

    /**
     * Takes AUTH XOAUTH2 and OAUTHBEARER (RFC 7628) for {@code user} with {@code accessToken}, inline
     * or after an empty challenge (RFC 5034); any other token gets the error challenge, a base64
     * JSON, and once answered -ERR [AUTH]. Offer them in {@link #capabilities} ("SASL ... XOAUTH2").
     */
    public ScriptedPop3Server acceptToken(String user, String accessToken) {
        this.tokenUser = user;
        this.token = accessToken;
        return this;
    }

    /** Reads a PROXY header (v1 or v2) off each connection before anything else, TLS included. */
    public ScriptedPop3Server readProxyHeader() {
        this.readsProxyHeader = true;
        return this;
    }

    /** The PROXY headers read, octet for octet, one per connection. */
    public List<byte[]> proxyHeaders() {
        return List.copyOf(proxyHeaders);
    }

    /** How many connections to this server are open now (a connection leaves the count when it ends). */
    public int connectionsAccepted() {
        return connections.size();
    }

    /** Commands received, in order; the arguments of PASS, APOP and AUTH are kept (it is a test server). */
    public List<String> commandsSeen() {
        return List.copyOf(commandsSeen);
    }

    public int quitCount() {
        return quits;
    }

    public int sessionsEnded() {
        return sessionsEnded;
    }

    /** Messages (1-based) removed by a QUIT after DELE. */
    public synchronized Set<Integer> expunged() {
        return Set.copyOf(expunged);
    }

    /** The octets a direct RETR of message n sends after the status line: stuffed and terminated. */
    public byte[] wireForm(int n) {
        return DotStuffing.stuffAndTerminate(mailbox.get(n - 1).bytes());
    }

    /** Waits (bounded) until this many sessions have ended. */
    public boolean awaitSessionsEnded(int count, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (sessionsEnded < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return sessionsEnded >= count;
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                if (readsProxyHeader) {
                    // Before TLS: the header is the first octets on the wire.
                    proxyHeaders.add(ProxyHeaders.read(socket.getInputStream()));
                }
                if (implicitTls != null) {
                    SSLSocket tls = (SSLSocket) implicitTls.getSocketFactory()
                            .createSocket(socket, null, socket.getPort(), true);
                    tls.setUseClientMode(false);
                    if (tlsProtocols != null) {
                        tls.setEnabledProtocols(tlsProtocols);
                    }
                    socket = tls;
                }
                connections.add(socket);
                Socket accepted = socket;
                threads.submit(() -> serve(accepted));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            new Conversation(socket).run();
        } catch (IOException e) {
            // The client went away; that is a legitimate end of a session.
        } finally {
            connections.remove(socket);
            synchronized (this) {
                sessionsEnded++;
            }
        }
    }

    /** One client's session with the scripted server. */
    private final class Conversation {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final Random random = new Random(42);
        private final Set<Integer> marked = new TreeSet<>();
        private String pendingUser;
        private boolean transaction;

        Conversation(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void run() throws IOException {
            send("+OK " + (xclientInGreeting ? "[XCLIENT] " : "") + "scripted POP3 ready " + TIMESTAMP + "\r\n");
            String line;
            while ((line = readLine()) != null) {
                commandsSeen.add(line);
                String[] words = line.split(" ", 2);
                String keyword = words[0].toUpperCase();
                String argument = words.length > 1 ? words[1] : "";
                if (!handle(keyword, argument)) {
                    return;
                }
            }
        }

        private boolean handle(String keyword, String argument) throws IOException {
            switch (keyword) {
                case "CAPA" -> {
                    StringBuilder reply = new StringBuilder("+OK capabilities\r\n");
                    capabilities.forEach(capability -> reply.append(capability).append("\r\n"));
                    if (stls != null && !(socket instanceof SSLSocket)) {
                        reply.append("STLS\r\n");
                    }
                    send(reply.append(".\r\n").toString());
                }
                case "STLS" -> {
                    if (stls == null || socket instanceof SSLSocket) {
                        send("-ERR no TLS here\r\n");
                    } else {
                        send("+OK begin TLS\r\n");
                        SSLSocket tls = (SSLSocket) stls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                        tls.setUseClientMode(false);
                        if (tlsProtocols != null) {
                            tls.setEnabledProtocols(tlsProtocols);
                        }
                        tls.startHandshake();
                        socket = tls;
                        in = tls.getInputStream();
                        out = tls.getOutputStream();
                    }
                }
                case "USER" -> {
                    pendingUser = argument;
                    if (userReplyHoldMillis > 0) {
                        sleepQuietly(userReplyHoldMillis);
                        if (in.available() > 0) {
                            userCommandsPipelinedOn.incrementAndGet();
                        }
                    }
                    send("+OK send PASS\r\n");
                }
                case "PASS" -> login(user.equals(pendingUser) && password.equals(argument));
                case "APOP" -> {
                    String[] parts = argument.split(" ");
                    login(parts.length == 2 && parts[0].equals(user) && parts[1].equals(apopDigest(password)));
                }
                case "AUTH" -> auth(argument);
                // Dovecot's pop3-login takes XCLIENT before the login, from the peers it trusts.
                case "XCLIENT" -> send(!transaction && (xclientInGreeting || capabilities.contains("XCLIENT")) ? "+OK Updated\r\n"
                        : "-ERR unknown command\r\n");
                case "QUIT" -> {
                    synchronized (ScriptedPop3Server.this) {
                        quits++;
                        if (transaction) {
                            expunged.addAll(marked);
                        }
                    }
                    send("+OK bye\r\n");
                    return false;
                }
                default -> {
                    if (!transaction) {
                        send("-ERR not logged in\r\n");
                    } else {
                        transactionCommand(keyword, argument);
                    }
                }
            }
            return true;
        }

        private void login(boolean ok) throws IOException {
            if (ok) {
                transaction = true;
                send("+OK logged in\r\n");
            } else {
                send("-ERR [AUTH] invalid credentials\r\n");
            }
        }

        private void auth(String argument) throws IOException {
            String[] parts = argument.split(" ");
            String mechanism = parts[0].toUpperCase();
            if (mechanism.equals("PLAIN")) {
                String response = parts.length > 1 ? parts[1] : challenge("");
                if (response.equals("*")) {
                    send("-ERR authentication cancelled\r\n");
                    return;
                }
                String[] fields = decode(response).split("\0");
                login(fields.length == 3 && fields[1].equals(user) && fields[2].equals(password));
            } else if (mechanism.equals("LOGIN")) {
                String name = parts.length > 1 ? parts[1] : challenge("VXNlcm5hbWU6");
                String secret = name.equals("*") ? "*" : challenge("UGFzc3dvcmQ6");
                if (secret.equals("*")) {
                    send("-ERR authentication cancelled\r\n");
                    return;
                }
                login(decode(name).equals(user) && decode(secret).equals(password));
            } else if ((mechanism.equals("XOAUTH2") || mechanism.equals("OAUTHBEARER")) && token != null) {
                String response = parts.length > 1 ? parts[1] : challenge("");
                if (BearerMessages.valid(mechanism, decode(response), tokenUser, token)) {
                    login(true);
                } else {
                    // The client answers the error challenge; the -ERR comes only then.
                    challenge(BearerMessages.ERROR_CHALLENGE);
                    send("-ERR [AUTH] invalid token\r\n");
                }
            } else {
                send("-ERR unsupported mechanism\r\n");
            }
        }

        private String challenge(String base64) throws IOException {
            send("+ " + base64 + "\r\n");
            String response = readLine();
            commandsSeen.add(response == null ? "<eof>" : response);
            return response == null ? "" : response;
        }

        /** The octets of a SASL response, one char each, as the user name and password are given. */
        private static String decode(String base64) {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.ISO_8859_1);
        }

        private void transactionCommand(String keyword, String argument) throws IOException {
            switch (keyword) {
                case "STAT" -> {
                    long octets = 0;
                    int count = 0;
                    for (int n = 1; n <= mailbox.size(); n++) {
                        if (visible(n)) {
                            count++;
                            octets += mailbox.get(n - 1).size();
                        }
                    }
                    send("+OK " + count + " " + octets + "\r\n");
                }
                case "LIST", "UIDL" -> {
                    if (keyword.equals("UIDL") && !uidlSupported) {
                        send("-ERR unknown command UIDL\r\n");
                    } else {
                        listing(keyword.equals("UIDL"), argument);
                    }
                }
                case "RETR" -> {
                    int n = message(argument);
                    if (n > 0) {
                        send("+OK " + mailbox.get(n - 1).size() + " octets\r\n");
                        body(mailbox.get(n - 1));
                    }
                }
                case "TOP" -> {
                    if (!topSupported) {
                        send("-ERR unknown command TOP\r\n");
                        return;
                    }
                    String[] parts = argument.split(" ");
                    int n = parts.length == 2 ? message(parts[0]) : -1;
                    if (n > 0) {
                        send("+OK top of message follows\r\n");
                        body(MessageSource.of(top(mailbox.get(n - 1).bytes(), Integer.parseInt(parts[1]))));
                    }
                }
                case "DELE" -> {
                    int n = message(argument);
                    if (n > 0) {
                        marked.add(n);
                        send("+OK marked\r\n");
                    }
                }
                case "RSET" -> {
                    marked.clear();
                    send("+OK reset\r\n");
                }
                case "NOOP" -> send("+OK\r\n");
                case "LAST" -> send(lastSupported ? "+OK 0\r\n" : "-ERR unknown command LAST\r\n");
                default -> send("-ERR unknown command\r\n");
            }
        }

        private void listing(boolean uidl, String argument) throws IOException {
            if (!argument.isEmpty()) {
                int n = message(argument);
                if (n > 0) {
                    send("+OK " + n + " " + (uidl ? "uid-" + n : mailbox.get(n - 1).size()) + "\r\n");
                }
                return;
            }
            StringBuilder reply = new StringBuilder("+OK listing follows\r\n");
            for (int n = 1; n <= mailbox.size(); n++) {
                if (visible(n)) {
                    reply.append(n).append(' ').append(uidl ? "uid-" + n : mailbox.get(n - 1).size()).append("\r\n");
                }
            }
            send(reply.append(".\r\n").toString());
        }

        private boolean visible(int n) {
            synchronized (ScriptedPop3Server.this) {
                return !marked.contains(n) && !expunged.contains(n);
            }
        }

        private int message(String argument) throws IOException {
            try {
                int n = Integer.parseInt(argument.strip());
                if (n >= 1 && n <= mailbox.size() && visible(n)) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            send("-ERR no such message\r\n");
            return -1;
        }

        private void body(MessageSource message) throws IOException {
            long dieAfter = dieDuringRetrAfter;
            OutputStream sink = dieAfter >= 0 ? new DyingStream(out, dieAfter) : new ChunkingStream(out);
            DotStuffing.StuffingStream stuffing = new DotStuffing.StuffingStream(new BufferedOutputStream(sink, 65536));
            message.writeTo(stuffing);
            stuffing.terminate();
            stuffing.flush();
        }

        private void send(String text) throws IOException {
            ChunkingStream sink = new ChunkingStream(out);
            sink.write(text.getBytes(StandardCharsets.ISO_8859_1));
            sink.flush();
        }

        private String readLine() throws IOException {
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
            return null;
        }

        /** Writes in random small pieces, each flushed, when splitting is on. */
        private final class ChunkingStream extends OutputStream {
            private final OutputStream target;

            ChunkingStream(OutputStream target) {
                this.target = target;
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int max = maxWriteChunk;
                if (max <= 0) {
                    target.write(b, off, len);
                    return;
                }
                int position = off;
                while (position < off + len) {
                    int n = Math.min(1 + random.nextInt(max), off + len - position);
                    target.write(b, position, n);
                    target.flush();
                    position += n;
                }
            }

            @Override
            public void flush() throws IOException {
                target.flush();
            }
        }

        /** Passes on a fixed number of octets, then closes the connection abruptly. */
        private final class DyingStream extends OutputStream {
            private final OutputStream target;
            private long remaining;

            DyingStream(OutputStream target, long octets) {
                this.target = target;
                this.remaining = octets;
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int n = (int) Math.min(len, remaining);
                target.write(b, off, n);
                remaining -= n;
                if (remaining == 0) {
                    target.flush();
                    socket.setSoLinger(true, 0);
                    socket.close();
                    throw new SocketException("scripted death during RETR");
                }
            }
        }
    }

    /** The header block, the empty line and the first {@code lines} body lines (RFC 1939 TOP). */
    static byte[] top(byte[] message, int lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        boolean inBody = false;
        int bodyLines = 0;
        int lineStart = 0;
        while (i < message.length) {
            byte b = message[i++];
            if (inBody && bodyLines >= lines) {
                break;
            }
            out.write(b);
            if (b == '\n') {
                boolean empty = i - lineStart <= 2;
                lineStart = i;
                if (inBody) {
                    bodyLines++;
                } else if (empty) {
                    inBody = true;
                }
            }
        }
        return out.toByteArray();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String apopDigest(String secret) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest((TIMESTAMP + secret).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : connections) {
            socket.close();
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

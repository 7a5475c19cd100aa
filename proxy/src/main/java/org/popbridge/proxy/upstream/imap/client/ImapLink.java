package org.popbridge.proxy.upstream.imap.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.core.tls.NegotiatedTls;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.PeerTls;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A POP3 session's connection to an IMAP server (RFC 9051, and RFC 3501 servers): greeting,
 * STARTTLS, capabilities, login, SELECT and a UID snapshot, streamed retrieval, TOP by
 * partial fetches, and the QUIT commit. Commands go one at a time, tagged A1, A2, ...; later
 * ones wait in a queue. Every method must be called on the link's event loop, and every
 * future completes there. Closing the link without {@link #commit} changes nothing upstream.
 *
 * <p>The link holds the session's state and offers the operations; {@link OpeningHandshake}
 * takes it from connected to ready, {@link CommandQueue} tags and writes the commands, and
 * {@link ResponseDispatcher} routes what the server answers.
 */
public final class ImapLink {

    /** What the link tells its session outside any one command. */
    public interface Listener {
        /** A burst of reads is over: time to flush what was written to the client. */
        default void readComplete() {
        }

        /** The link ended on its own (connection lost, timeout, protocol error); not called after abort or commit. */
        default void failed(ImapLinkException cause) {
        }
    }

    /** Builds the command once its tag is known and the server's string syntax is current. */
    interface CommandText {
        ImapCommand build(String tag, StringSyntax syntax);
    }

    /** Where the connection is in RFC 9051's state diagram (section 3), with the link's own steps around it. */
    enum Phase {
        CONNECTING, GREETING, STARTING_TLS, NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGGING_OUT, CLOSED;

        /** Until the greeting no command goes out, and the first status response is the greeting. */
        boolean awaitsGreeting() {
            return this == CONNECTING || this == GREETING;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ImapLink.class);

    private final UpstreamConnector connector;
    private final Listener listener;
    private final String sessionId;
    /** Where the session's client is, for the PROXY header and ID; null when unknown. */
    private final InetSocketAddress client;
    private final MailboxSequence sequence = new MailboxSequence();
    private final CommandQueue commands;
    private final OpeningHandshake handshake;
    private final ResponseDispatcher dispatcher;
    private EventLoop loop;
    private Channel channel;
    private ImapResponseDecoder decoder;
    private Phase phase = Phase.CONNECTING;
    private Capabilities capabilities = new Capabilities(Set.of());
    private SelectedMailbox selected;
    private boolean clientIdentified;

    /** A link for a session whose client's address is not told to the server. */
    public ImapLink(UpstreamConnector connector, Listener listener, String sessionId) {
        this(connector, listener, sessionId, null);
    }

    /** A link that tells the server about {@code client} where its upstream says so (ID, a PROXY header). */
    public ImapLink(UpstreamConnector connector, Listener listener, String sessionId, InetSocketAddress client) {
        this.connector = connector;
        this.listener = listener;
        this.sessionId = sessionId;
        this.client = client;
        this.commands = new CommandQueue(sessionId);
        this.handshake = new OpeningHandshake(this, connector.endpoint(), sessionId);
        this.dispatcher = new ResponseDispatcher(this, handshake, commands, sequence, listener, sessionId);
    }

    /**
     * Connects on {@code eventLoop}, reads the greeting (RFC 9051 section 7.1), does STARTTLS
     * for {@link UpstreamScheme#IMAP_STARTTLS} and learns the capabilities. Fails with
     * {@link ImapFailure#UNAVAILABLE} on a BYE greeting or a server without STARTTLS.
     */
    public CompletableFuture<Capabilities> connect(EventLoop eventLoop) {
        if (!eventLoop.inEventLoop()) {
            throw new IllegalStateException("ImapLink runs on its event loop");
        }
        if (phase != Phase.CONNECTING || loop != null) {
            throw new IllegalStateException("already connected");
        }
        loop = eventLoop;
        ChannelFuture connected = connector.connect(loop, client, this::addProtocolHandlers);
        channel = connected.channel();
        commands.connectedTo(channel);
        connected.addListener(future -> {
            if (!future.isSuccess()) {
                fail(ImapFailure.UNAVAILABLE, "cannot connect to " + connector.endpoint().url(), future.cause());
            } else if (phase == Phase.CONNECTING) {
                phase = Phase.GREETING;
                log.debug("[{}] connected to {}", sessionId, connector.endpoint().url());
            }
        });
        return handshake.ready();
    }

    private void addProtocolHandlers(ChannelPipeline pipeline) {
        decoder = new ImapResponseDecoder();
        pipeline.addLast("reply-timeout",
                new IdleStateHandler(connector.endpoint().replyTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("imap-response-decoder", decoder);
        pipeline.addLast("imap-link", dispatcher);
    }

    /** The server's capabilities as last announced. */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** False once the link has failed, been aborted or logged out. */
    public boolean isOpen() {
        return phase != Phase.CLOSED;
    }

    /** The TLS the connection got (implicit or after STARTTLS); none in clear or before the handshake. */
    public TlsSummary tls() {
        return channel == null ? TlsSummary.NONE : NegotiatedTls.of(channel.pipeline().get(SslHandler.class));
    }

    /** The server's TLS as the handshake showed it (protocol, certificate); empty in clear. */
    public Optional<PeerTls> peerTls() {
        return channel == null ? Optional.empty() : PeerTls.of(channel.pipeline().get(SslHandler.class));
    }

    /** Where the link goes, for the sentences that say what went wrong there. */
    UpstreamEndpoint endpoint() {
        return connector.endpoint();
    }

    /** True when the server greeted with PREAUTH: it authenticated the connection itself. */
    public boolean preauthenticated() {
        return handshake.preauthenticated();
    }

    /** True when {@code uid} was expunged by someone else since the snapshot (EXPUNGE or VANISHED seen). */
    public boolean isGone(long uid) {
        assertLoop();
        return sequence.isGone(uid);
    }

    /** Every UID seen expunged so far. */
    public Set<Long> goneUids() {
        return sequence.goneUids();
    }

    /** Literal octets read from the server so far: what TOP and RETR cost on the wire. */
    public long literalOctetsReceived() {
        return dispatcher.literalOctets();
    }

    /**
     * Logs in (RFC 9051 sections 6.2.2, 6.2.3): LOGIN, unless the server says LOGINDISABLED,
     * then AUTHENTICATE PLAIN if offered. A result, not a failed future, for NO and BAD. The
     * name and password are octets, as the client sent them: they reach the server unchanged
     * (8-bit ones in a literal, until UTF8=ACCEPT is enabled, which only happens after login).
     */
    public CompletableFuture<LoginResult> login(byte[] user, byte[] password) {
        return new ImapLogin(this).login(user, password);
    }

    /**
     * AUTHENTICATE PLAIN (RFC 4616), with the initial response on the command line when the
     * server offers SASL-IR (RFC 4959), else after its continuation request; the three fields
     * are octets as the client sent them, base64-encoded unchanged.
     */
    public CompletableFuture<LoginResult> authenticatePlain(byte[] authzid, byte[] user, byte[] password) {
        return new ImapLogin(this).authenticatePlain(authzid, user, password);
    }

    /**
     * AUTHENTICATE {@code mechanism} with a single base64 {@code response} (XOAUTH2 or RFC 7628
     * OAUTHBEARER): inline where the server offers SASL-IR (RFC 4959), else after its
     * continuation request; a further challenge is the server's error, answered with
     * {@code errorAnswer} so that it ends with NO. The response is never logged.
     */
    public CompletableFuture<LoginResult> authenticate(String mechanism, String response, String errorAnswer) {
        return new ImapLogin(this).authenticate(mechanism, response, errorAnswer);
    }

    /** "SELECT folder" (RFC 9051 section 6.3.2): UIDVALIDITY, EXISTS and whether it is read-only. */
    public CompletableFuture<SelectedMailbox> select(String folder) {
        assertLoop();
        return MailboxOpening.select(this, folder).thenApply(mailbox -> {
            enter(Phase.SELECTED);
            selected = mailbox;
            return mailbox;
        });
    }

    /**
     * The messages of the selected mailbox in UID order, by "FETCH 1:* (UID RFC822.SIZE)"; see
     * {@link MailboxOpening#snapshot}.
     */
    public CompletableFuture<MailboxSnapshot> snapshot() {
        assertLoop();
        if (selected == null) {
            throw new IllegalStateException("snapshot before SELECT");
        }
        return MailboxOpening.snapshot(this, selected);
    }

    /** Before the first login attempt, tells the server where the client is: see {@link ClientIdentification}. */
    void identifyClient() {
        if (!clientIdentified) {
            clientIdentified = true;
            ClientIdentification.send(this, connector, client, sessionId);
        }
    }

    /** The queue that writes commands, for a login's secret continuation line. */
    CommandQueue commandQueue() {
        return commands;
    }

    /**
     * Streams message {@code uid} to {@code sink}: "UID FETCH uid BODY.PEEK[]", or BODY[] when
     * {@code markSeen}, which sets \Seen (RFC 9051 section 6.4.5). A message known to be
     * expunged is reported gone at once.
     */
    public void retrieve(long uid, boolean markSeen, MessageSink sink) {
        assertLoop();
        if (sequence.isGone(uid)) {
            sink.onGone();
            return;
        }
        String item = markSeen ? "BODY[]" : "BODY.PEEK[]";
        enqueue((tag, syntax) -> ImapCommand.builder(tag, "UID", syntax).token("FETCH").token(Long.toString(uid))
                .token("(" + item + ")").build(), new BodyRetrieval(uid, sequence, sink), false);
    }

    /**
     * Streams the header and the first {@code lines} body lines of {@code message} (POP3 TOP),
     * never \Seen. Its RFC822.SIZE tells a message that is all header from a server that
     * leaves the blank line out of BODY[HEADER].
     */
    public void top(MailboxSnapshot.Message message, long lines, MessageSink sink) {
        assertLoop();
        if (sequence.isGone(message.uid())) {
            sink.onGone();
            return;
        }
        new TopRetrieval(this, message, lines, sequence, sink).start(false);
    }

    /**
     * Streams the header blocks of {@code wanted} (messages of {@code snapshot}, in UID order) to
     * {@code sink} in one pass, for the login scan: "UID FETCH set (BODY.PEEK[HEADER])", never
     * \Seen, one command per few thousand octets of UID set; see {@link HeaderFetch}. Each block
     * ends with its blank line as {@link #top} gives it. A slow receiver pauses the link with
     * {@link #pauseReading()}.
     */
    public void headers(MailboxSnapshot snapshot, List<MailboxSnapshot.Message> wanted, HeaderSink sink) {
        assertLoop();
        new HeaderFetch(this, sequence, snapshot, wanted, sink).start();
    }

    /** NOOP (RFC 9051 section 6.1.2), for POP3 NOOP: also collects EXPUNGE and EXISTS news. */
    public CompletableFuture<Void> noop() {
        assertLoop();
        StatusExchange exchange = new StatusExchange();
        enqueue((tag, syntax) -> ImapCommand.builder(tag, "NOOP", syntax).build(), exchange, false);
        return exchange.result().thenApply(status -> null);
    }

    /**
     * Applies the client's deletions at QUIT, then LOGOUT: "UID STORE set +FLAGS.SILENT (\Deleted)"
     * and "UID EXPUNGE set" with UIDPLUS (RFC 4315) or IMAP4rev2; else {@code fallback}, with a
     * WARN. Never a bare EXPUNGE, which would also remove what other clients flagged.
     */
    public CompletableFuture<CommitOutcome> commit(Collection<Long> deletedUids, CommitFallback fallback) {
        return new Commit(this, deletedUids, fallback, sessionId).run();
    }

    /** Closes without STORE, EXPUNGE or LOGOUT: nothing changes upstream (invariant 1). */
    public void abort() {
        if (phase == Phase.CLOSED) {
            return;
        }
        fail(ImapFailure.CLOSED, "closed by the session", null, false);
    }

    /** Stops reading responses while the client cannot take more (backpressure). */
    public void pauseReading() {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    public void resumeReading() {
        if (channel != null && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
            channel.read();
        }
    }

    /** Sends a command whose tagged status alone matters; NO and BAD come back as a status, not a failure. */
    CompletableFuture<StatusResponse> execute(CommandText text, boolean first) {
        StatusExchange exchange = new StatusExchange();
        enqueue(text, exchange, first);
        return exchange.result();
    }

    /** "LOGOUT" (RFC 9051 section 6.1.3); the server's BYE and close count as its answer. Closes the link. */
    CompletableFuture<Void> logout() {
        phase = Phase.LOGGING_OUT;
        return execute((tag, syntax) -> ImapCommand.builder(tag, "LOGOUT", syntax).build(), true)
                .handle((status, failure) -> {
                    close();
                    if (failure != null && !dispatcher.byeReceived()) {
                        throw failure instanceof CompletionException ? (CompletionException) failure
                                : new CompletionException(failure);
                    }
                    return null;
                });
    }

    /** Queues a command, at the head when it continues a multi-step operation. */
    void enqueue(CommandText text, ResponseHandler handler, boolean first) {
        assertLoop();
        if (phase == Phase.CLOSED) {
            handler.onFailure(new ImapLinkException(ImapFailure.CLOSED, "the link is closed"));
            return;
        }
        commands.add(text, handler, first);
        sendNext();
    }

    /** Sends the next queued command, unless the greeting is not in or the connection is between STARTTLS and TLS. */
    void sendNext() {
        if (phase == Phase.CLOSED || phase.awaitsGreeting() || handshake.discardingUntilTls()) {
            return;
        }
        commands.sendNext(StringSyntax.of(capabilities, false));
    }

    /** "CAPABILITY" (RFC 9051 section 6.1.1): completes with the capabilities it announced. */
    CompletableFuture<Capabilities> requestCapabilities(boolean first) {
        return execute((tag, syntax) -> ImapCommand.builder(tag, "CAPABILITY", syntax).build(), first)
                .thenApply(status -> capabilities);
    }

    /** The server announced its capabilities (a response or a code); or, after STARTTLS, those known are void. */
    void announced(Capabilities announced) {
        capabilities = announced;
    }

    /** Where the link is, for the dispatcher's routing of the greeting and its timeout. */
    Phase phase() {
        return phase;
    }

    /** Moves the state machine on; the handshake's steps from greeting to TLS. */
    void enter(Phase next) {
        phase = next;
    }

    /** Used by {@link OpeningHandshake} to add TLS in front of the codec; null before connect. */
    Channel channel() {
        return channel;
    }

    /** Used by {@link OpeningHandshake} to drop what arrived before the TLS handshake. */
    ImapResponseDecoder decoder() {
        return decoder;
    }

    private void close() {
        phase = Phase.CLOSED;
        if (channel != null) {
            UpstreamConnector.close(channel);
        }
    }

    /** Ends the link on its own: every waiting command fails, and the listener hears of it. */
    void fail(ImapFailure failure, String message, Throwable cause) {
        fail(failure, message, cause, true);
    }

    private void fail(ImapFailure failure, String message, Throwable cause, boolean tellListener) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean loggingOut = phase == Phase.LOGGING_OUT;
        phase = Phase.CLOSED;
        ImapLinkException exception = new ImapLinkException(failure, message, cause);
        if (failure != ImapFailure.CLOSED && !loggingOut) {
            log.debug("[{}] upstream link failed: {}", sessionId, LogText.of(message), cause);
        }
        if (channel != null) {
            UpstreamConnector.close(channel);
        }
        for (ResponseHandler handler : commands.drain()) {
            handler.onFailure(exception);
        }
        handshake.failed(exception);
        if (tellListener && !loggingOut) {
            listener.failed(exception);
        }
    }

    void assertLoop() {
        if (loop == null || !loop.inEventLoop()) {
            throw new IllegalStateException("ImapLink runs on its event loop, after connect");
        }
    }

    /** Used by {@link Commit}: the selected mailbox, or null. */
    SelectedMailbox selected() {
        return selected;
    }

    /** Turns a NO or BAD into a failed future, naming the command. */
    static Function<StatusResponse, StatusResponse> requireOk(String command) {
        return status -> {
            if (!status.isOk()) {
                throw new ImapLinkException(ImapFailure.REFUSED, command + " answered " + status.condition() + ": "
                        + status.text());
            }
            return status;
        };
    }
}

package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.core.metrics.UpstreamHandshakes;
import org.popbridge.proxy.core.tls.TlsEngineChoice;
import org.popbridge.proxy.core.upstream.CommitFallback;
import org.popbridge.proxy.core.upstream.UpstreamConnector;
import org.popbridge.proxy.core.upstream.UpstreamEndpoint;
import org.popbridge.proxy.core.upstream.UpstreamScheme;
import org.popbridge.proxy.core.upstream.UpstreamTls;
import org.popbridge.proxy.testing.ScriptedImapServer;

/** {@link ImapLink} against a scripted server: what GreenMail cannot do, and faults. */
class ImapLinkScriptedTest {

    private EventLoopGroup group;
    private EventLoop loop;
    private ImapLink link;
    private ScriptedImapServer server;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            loop.submit(link::abort).get(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void synchronizingLiteralWaitsForTheContinuation() throws Exception {
        String password = "pässwörd";
        byte[] octets = password.getBytes(StandardCharsets.UTF_8);
        serve("* OK [CAPABILITY IMAP4rev1] hi\r\n", line -> {
            if (line.startsWith("A1 LOGIN")) {
                return "+ go on\r\n";
            }
            return line.endsWith("\u0000") ? null : "A1 OK [CAPABILITY IMAP4rev1 UIDPLUS] in\r\n";
        });
        assertThat(onLoop(() -> link.login(utf8("alice"), utf8(password))).isOk()).isTrue();
        List<String> received = server.received();
        assertThat(received.get(0)).isEqualTo("A1 LOGIN alice {" + octets.length + "}");
        assertThat(received.get(1)).isEqualTo(new String(octets, StandardCharsets.ISO_8859_1));
        assertThat(link.capabilities().has("UIDPLUS")).isTrue();
    }

    @Test
    void authenticatePlainWithSaslIr() throws Exception {
        serve("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\n", line -> line.startsWith("A1 ")
                ? "A1 OK [CAPABILITY IMAP4rev1] in\r\n" : "* BAD what\r\n");
        assertThat(onLoop(() -> link.authenticatePlain(new byte[0], utf8("alice"), utf8("pw"))).isOk()).isTrue();
        assertThat(server.received()).containsExactly("A1 AUTHENTICATE PLAIN " + plain("alice", "pw"));
    }

    @Test
    void authenticatePlainViaContinuation() throws Exception {
        serve("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n", line -> {
            if (line.equals("A1 AUTHENTICATE PLAIN")) {
                return "+ \r\n";
            }
            if (line.startsWith("A1 ") || line.startsWith("A2 ")) {
                return line.startsWith("A2 CAPABILITY") ? "* CAPABILITY IMAP4rev1 UIDPLUS\r\nA2 OK done\r\n"
                        : "A2 BAD what\r\n";
            }
            return "A1 OK in\r\n";
        });
        assertThat(onLoop(() -> link.authenticatePlain(new byte[0], utf8("alice"), utf8("pw"))).isOk()).isTrue();
        assertThat(server.received()).containsExactly("A1 AUTHENTICATE PLAIN", plain("alice", "pw"),
                "A2 CAPABILITY");
        assertThat(link.capabilities().has("UIDPLUS")).as("capabilities asked again after login").isTrue();
    }

    @Test
    void loginDisabledUsesAuthenticatePlain() throws Exception {
        serve("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN SASL-IR] hi\r\n",
                line -> "A1 NO [AUTHENTICATIONFAILED] bad credentials\r\n");
        LoginResult result = onLoop(() -> link.login(utf8("alice"), utf8("pw")));
        assertThat(result.outcome()).isEqualTo(LoginResult.Outcome.REJECTED);
        assertThat(result.serverText()).isEqualTo("bad credentials");
        assertThat(server.received().get(0)).startsWith("A1 AUTHENTICATE PLAIN ");
    }

    @Test
    void unavailableIsNotAWrongPassword() throws Exception {
        serve("* OK [CAPABILITY IMAP4rev1] hi\r\n", line -> "A1 NO [UNAVAILABLE] try later\r\n");
        assertThat(onLoop(() -> link.login(utf8("alice"), utf8("pw"))).outcome())
                .isEqualTo(LoginResult.Outcome.UNAVAILABLE);
    }

    @Test
    void byeGreetingFailsTheConnect() throws Exception {
        server = new ScriptedImapServer("* BYE [UNAVAILABLE] too busy\r\n", line -> null);
        link = new ImapLink(new UpstreamConnector(route(UpstreamScheme.IMAP)), new ImapLink.Listener() { }, "test");
        ImapLinkException failure = connectFailure();
        assertThat(failure.failure()).isEqualTo(ImapFailure.UNAVAILABLE);
    }

    @Test
    void starttlsRequiredButNotOfferedStopsBeforeAnyCredentials() throws Exception {
        server = new ScriptedImapServer("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no tls here\r\n",
                line -> "A1 OK whatever\r\n");
        link = new ImapLink(new UpstreamConnector(route(UpstreamScheme.IMAP_STARTTLS)), new ImapLink.Listener() { },
                "test");
        ImapLinkException failure = connectFailure();
        assertThat(failure.failure()).isEqualTo(ImapFailure.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("STARTTLS");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void preauthOnAStarttlsRouteIsRefused() throws Exception {
        server = new ScriptedImapServer("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n",
                line -> "A1 OK whatever\r\n");
        link = new ImapLink(new UpstreamConnector(route(UpstreamScheme.IMAP_STARTTLS)), new ImapLink.Listener() { },
                "test");
        assertThat(connectFailure().failure()).isEqualTo(ImapFailure.UNAVAILABLE);
    }

    @Test
    void serverClosingMidLiteralIsAFailureNeverAnEnd() throws Exception {
        String partial = "Subject: cut\r\n\r\n" + "x".repeat(300);
        serve("* OK [CAPABILITY IMAP4rev1] hi\r\n",
                line -> "* 1 FETCH (UID 5 BODY[] {1000}\r\n" + partial + ScriptedImapServer.CLOSE);
        CollectingSink sink = new CollectingSink();
        loop.submit(() -> link.retrieve(5, false, sink)).get(5, TimeUnit.SECONDS);
        assertThat(sink.await()).isEqualTo(CollectingSink.End.FAILURE);
        assertThat(sink.ends).isZero();
        assertThat(sink.startSize).isEqualTo(1000);
        assertThat(sink.failure.failure()).isEqualTo(ImapFailure.LOST);
        assertThat(sink.bytes()).hasSize(partial.length());
    }

    @Test
    void topOfAMessageThatIsAllHeaderAddsNoBlankLine() throws Exception {
        String header = "Subject: headers only\r\nFrom: someone@example.org\r\n";
        serve("* OK [CAPABILITY IMAP4rev1] hi\r\n", line -> "* 1 FETCH (UID 8 BODY[HEADER] {" + header.length()
                + "}\r\n" + header + ")\r\n" + line.substring(0, line.indexOf(' ')) + " OK done\r\n");
        CollectingSink sink = new CollectingSink();
        MailboxSnapshot.Message message = new MailboxSnapshot.Message(8, header.length());
        loop.submit(() -> link.top(message, 0, sink)).get(5, TimeUnit.SECONDS);
        assertThat(sink.await()).isEqualTo(CollectingSink.End.END);
        assertThat(new String(sink.bytes(), StandardCharsets.ISO_8859_1)).isEqualTo(header);
    }

    @Test
    void fetchWithoutTheLiteralOnOkIsGone() throws Exception {
        serve("* OK [CAPABILITY IMAP4rev1] hi\r\n", line -> line.startsWith("A1 ")
                ? "* 3 FETCH (FLAGS (\\Seen))\r\nA1 OK nothing for that UID\r\n" : "A2 OK [CAPABILITY X] no\r\n");
        CollectingSink sink = new CollectingSink();
        loop.submit(() -> link.retrieve(9, false, sink)).get(5, TimeUnit.SECONDS);
        assertThat(sink.await()).isEqualTo(CollectingSink.End.GONE);
    }

    @Test
    void commitWithoutUidplusMovesWhenAskedAndNeverSendsABareExpunge() throws Exception {
        serve("* OK [CAPABILITY IMAP4rev1 MOVE] hi\r\n", line -> {
            String tag = line.substring(0, line.indexOf(' '));
            if (line.contains("LOGOUT")) {
                return "* BYE bye\r\n" + tag + " OK done\r\n";
            }
            return tag + " OK done\r\n";
        });
        CommitOutcome outcome = onLoop(() -> link.commit(List.of(7L, 3L, 4L, 5L), CommitFallback.moveTo("Trash")));
        assertThat(outcome).isEqualTo(CommitOutcome.MOVED);
        assertThat(server.received()).containsExactly("A1 UID MOVE 3:5,7 Trash", "A2 LOGOUT");
    }

    @Test
    void commitWithUidplusStoresThenExpungesTheSameSet() throws Exception {
        serve("* OK [CAPABILITY IMAP4rev1 UIDPLUS] hi\r\n", line -> {
            String tag = line.substring(0, line.indexOf(' '));
            // BYE and close without the tagged OK: the LOGOUT still counts as done.
            return line.contains("LOGOUT") ? "* BYE bye\r\n" + ScriptedImapServer.CLOSE : tag + " OK done\r\n";
        });
        CommitOutcome outcome = onLoop(() -> link.commit(List.of(2L, 9L), CommitFallback.flagOnly()));
        assertThat(outcome).isEqualTo(CommitOutcome.EXPUNGED);
        assertThat(server.received()).containsExactly("A1 UID STORE 2,9 +FLAGS.SILENT (\\Deleted)",
                "A2 UID EXPUNGE 2,9", "A3 LOGOUT");
    }

    @Test
    void refusedStoreStopsTheCommit() throws Exception {
        serve("* OK [CAPABILITY IMAP4rev1 UIDPLUS] hi\r\n", line -> "A1 NO [READ-ONLY] no way\r\n");
        CompletableFuture<CommitOutcome> commit = loop.submit(
                () -> link.commit(List.of(2L), CommitFallback.flagOnly())).get(5, TimeUnit.SECONDS);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> commit.get(10, TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(ImapLinkException.class);
        assertThat(((ImapLinkException) failure.getCause()).failure()).isEqualTo(ImapFailure.REFUSED);
        Thread.sleep(100);
        assertThat(server.received()).containsExactly("A1 UID STORE 2 +FLAGS.SILENT (\\Deleted)");
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void serve(String greeting, Function<String, String> script) throws Exception {
        server = new ScriptedImapServer(greeting, script);
        link = new ImapLink(new UpstreamConnector(route(UpstreamScheme.IMAP)), new ImapLink.Listener() { }, "test");
        onLoop(() -> link.connect(loop));
    }

    private ImapLinkException connectFailure() throws Exception {
        CompletableFuture<Capabilities> connected = loop.submit(() -> link.connect(loop)).get(5, TimeUnit.SECONDS);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connected.get(10, TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(ImapLinkException.class);
        return (ImapLinkException) failure.getCause();
    }

    private UpstreamEndpoint route(UpstreamScheme scheme) throws Exception {
        return new UpstreamEndpoint(scheme, "127.0.0.1", server.port(),
                scheme.usesTls() ? UpstreamTls.clientContext(List.of(), false, TlsEngineChoice.AUTO.engine(), UpstreamHandshakes.NONE) : null,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private <T> T onLoop(Supplier<CompletableFuture<T>> action) throws Exception {
        CompletableFuture<T> future = loop.submit(action::get).get(5, TimeUnit.SECONDS);
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        }
    }

    /** A name or password as a client would send it, in UTF-8. */
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

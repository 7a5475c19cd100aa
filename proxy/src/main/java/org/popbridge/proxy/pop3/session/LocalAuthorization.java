package org.popbridge.proxy.pop3.session;

import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.popbridge.proxy.core.session.Credentials;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3Verb;

/**
 * The AUTHORIZATION state (RFC 1939 section 4) answered by popbridge itself, for an upstream
 * that logs in on its own terms (IMAP LOGIN, or a server chosen by user name). It gathers the
 * credentials of USER and PASS (section 7), AUTH PLAIN (RFC 4616) and AUTH LOGIN, with or
 * without an initial response (RFC 5034), and answers CAPA, APOP and QUIT. Prompts and
 * refusals go to the reply queue; complete credentials go to {@code login}, which answers.
 */
public final class LocalAuthorization {

    /**
     * What a client can do through such an upstream: every RFC 1939 command with TOP and UIDL,
     * USER and SASL PLAIN and LOGIN logins, pipelining (commands queue and are answered in
     * order) and RFC 2449/3206 response codes. The session adds STLS and its own lines.
     */
    public static final UpstreamCapabilities CAPABILITIES = new UpstreamCapabilities(List.of(
            "TOP", "UIDL", "USER", "SASL PLAIN LOGIN", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"));

    /** Which line of an AUTH exchange comes next from the client. */
    private enum Awaiting { NOTHING, PLAIN_RESPONSE, LOGIN_USER, LOGIN_PASSWORD }

    private static final String USERNAME_PROMPT = "VXNlcm5hbWU6";
    private static final String PASSWORD_PROMPT = "UGFzc3dvcmQ6";

    private final ReplyQueue replies;
    private final ByteBufAllocator alloc;
    private final Consumer<Credentials> login;
    /** The name given by USER, or by AUTH LOGIN's first response. */
    private String user;
    private Awaiting awaiting = Awaiting.NOTHING;

    public LocalAuthorization(ReplyQueue replies, ByteBufAllocator alloc, Consumer<Credentials> login) {
        this.replies = replies;
        this.alloc = alloc;
        this.login = login;
    }

    /** Answers CAPA with what a client can do through an upstream that answers itself. */
    public void capabilities() {
        replies.multiline("Capability list follows", CAPABILITIES.lines(), alloc);
    }

    /** Answers a command of the AUTHORIZATION state. */
    public void handle(Pop3Command command) {
        List<String> arguments = command.arguments();
        Pop3Verb verb = command.verb().orElse(null);
        if (verb == null) {
            replies.err("not valid before login");
            return;
        }
        switch (verb) {
            case USER -> {
                user = arguments.get(0);
                replies.ok("send PASS");
            }
            case PASS -> {
                if (user == null) {
                    replies.err("USER first");
                } else {
                    // RFC 1939 section 7: after a failed PASS the client starts again with USER.
                    String name = user;
                    user = null;
                    login.accept(Credentials.of(name, command.argument()));
                }
            }
            case AUTH -> auth(arguments);
            case CAPA -> capabilities();
            // The greeting has no timestamp: popbridge does not know the password to check a digest.
            case APOP -> replies.err("[AUTH] APOP is not available: use USER and PASS, or AUTH PLAIN");
            case QUIT -> replies.ok("popbridge signing off");
            default -> replies.err("not valid before login");
        }
    }

    private void auth(List<String> arguments) {
        String mechanism = arguments.get(0).toUpperCase(Locale.ROOT);
        String initial = arguments.size() > 1 ? arguments.get(1) : null;
        switch (mechanism) {
            case "PLAIN" -> {
                if (initial == null) {
                    awaiting = Awaiting.PLAIN_RESPONSE;
                    replies.continuation("");
                } else {
                    plain(initial);
                }
            }
            case "LOGIN" -> {
                if (initial == null) {
                    awaiting = Awaiting.LOGIN_USER;
                    replies.continuation(USERNAME_PROMPT);
                } else {
                    loginUser(initial);
                }
            }
            default -> replies.err("Unsupported authentication mechanism " + mechanism);
        }
    }

    public boolean awaitingContinuation() {
        return awaiting != Awaiting.NOTHING;
    }

    /** A client line during AUTH: the next SASL response. */
    public void continuation(String line) {
        Awaiting step = awaiting;
        awaiting = Awaiting.NOTHING;
        if (line.equals("*")) {
            // RFC 5034 section 4: the client cancels the exchange.
            replies.err("AUTH cancelled");
            return;
        }
        switch (step) {
            case PLAIN_RESPONSE -> plain(line);
            case LOGIN_USER -> loginUser(line);
            case LOGIN_PASSWORD -> {
                String name = user;
                user = null;
                Credentials.decode(line).ifPresentOrElse(password -> login.accept(Credentials.of(name, password)),
                        () -> replies.err("[AUTH] invalid SASL response"));
            }
            case NOTHING -> replies.err("no AUTH exchange in progress");
        }
    }

    private void plain(String response) {
        Credentials.plain(response).ifPresentOrElse(login, () -> replies.err("[AUTH] invalid SASL PLAIN response"));
    }

    private void loginUser(String response) {
        Credentials.decode(response).filter(name -> !name.isEmpty()).ifPresentOrElse(name -> {
            user = name;
            awaiting = Awaiting.LOGIN_PASSWORD;
            replies.continuation(PASSWORD_PROMPT);
        }, () -> replies.err("[AUTH] invalid SASL response"));
    }
}

package org.popbridge.proxy.upstream.imap.client;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The login exchanges of an {@link ImapLink}: LOGIN and AUTHENTICATE PLAIN, secrets masked in its logs. */
final class ImapLogin {

    private final ImapLink link;

    ImapLogin(ImapLink link) {
        this.link = link;
    }

    /**
     * Logs in (RFC 9051 sections 6.2.2, 6.2.3): LOGIN, unless the server says LOGINDISABLED,
     * then AUTHENTICATE PLAIN if offered. A result, not a failed future, for NO and BAD.
     */
    CompletableFuture<LoginResult> login(byte[] user, byte[] password) {
        if (link.capabilities().loginDisabled()) {
            if (link.capabilities().hasAuth("PLAIN")) {
                return authenticatePlain(new byte[0], user, password);
            }
            return CompletableFuture.completedFuture(new LoginResult(LoginResult.Outcome.FAILED,
                    "server disables LOGIN and offers no AUTH=PLAIN"));
        }
        return authenticate(new LoginExchange(), (tag, syntax) -> ImapCommand.builder(tag, "LOGIN", syntax)
                .astring(user).secretAstring(password).build());
    }

    /**
     * AUTHENTICATE PLAIN (RFC 4616), with the initial response on the command line when the
     * server offers SASL-IR (RFC 4959), else after its continuation request.
     */
    CompletableFuture<LoginResult> authenticatePlain(byte[] authzid, byte[] user, byte[] password) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(authzid);
        message.write(0);
        message.writeBytes(user);
        message.write(0);
        message.writeBytes(password);
        String response = Base64.getEncoder().encodeToString(message.toByteArray());
        if (link.capabilities().has("SASL-IR")) {
            return authenticate(new LoginExchange(), (tag, syntax) -> ImapCommand.builder(tag, "AUTHENTICATE", syntax)
                    .token("PLAIN").secretAstring(response).build());
        }
        LoginExchange exchange = new LoginExchange(List.of(response), link.commandQueue()::writeSecretLine);
        return authenticate(exchange,
                (tag, syntax) -> ImapCommand.builder(tag, "AUTHENTICATE", syntax).token("PLAIN").build());
    }

    /**
     * AUTHENTICATE with a one-message mechanism whose refusal comes as an error challenge
     * (XOAUTH2, RFC 7628 OAUTHBEARER): the response inline with SASL-IR (RFC 4959), else after
     * the server's continuation request; the error challenge is answered with {@code errorAnswer}
     * so that the server ends with its NO.
     */
    CompletableFuture<LoginResult> authenticate(String mechanism, String response, String errorAnswer) {
        if (link.capabilities().has("SASL-IR")) {
            return authenticate(new LoginExchange(List.of(errorAnswer), link.commandQueue()::writeSecretLine),
                    (tag, syntax) -> ImapCommand.builder(tag, "AUTHENTICATE", syntax)
                            .token(mechanism).secretAstring(response).build());
        }
        return authenticate(new LoginExchange(List.of(response, errorAnswer), link.commandQueue()::writeSecretLine),
                (tag, syntax) -> ImapCommand.builder(tag, "AUTHENTICATE", syntax).token(mechanism).build());
    }

    private CompletableFuture<LoginResult> authenticate(LoginExchange exchange, ImapLink.CommandText text) {
        link.assertLoop();
        if (link.preauthenticated()) {
            // The server let the connection in without credentials: the client's password cannot be checked.
            return CompletableFuture.completedFuture(new LoginResult(LoginResult.Outcome.FAILED,
                    "upstream is pre-authenticated, so credentials cannot be checked"));
        }
        // Before the credentials, so the server checks them as coming from the client (its lockouts, its logs).
        link.identifyClient();
        link.enqueue(text, exchange, false);
        return exchange.result().thenCompose(result -> {
            if (!result.isOk()) {
                return CompletableFuture.completedFuture(result);
            }
            link.enter(ImapLink.Phase.AUTHENTICATED);
            if (exchange.capabilitiesSent()) {
                return CompletableFuture.completedFuture(result);
            }
            // Capabilities may change at login (RFC 9051 section 6.2.3); UIDPLUS often appears only now.
            return link.requestCapabilities(true).thenApply(capabilities -> result);
        });
    }
}

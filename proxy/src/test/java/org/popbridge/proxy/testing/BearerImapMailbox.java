package org.popbridge.proxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link ScriptedImapServer} script for an IMAP server that takes only bearer tokens: AUTHENTICATE
 * XOAUTH2 or OAUTHBEARER for one user and token, with the response inline (SASL-IR) or after an
 * empty continuation request; any other token gets the error challenge and, once it is answered,
 * NO [AUTHENTICATIONFAILED]. After login it serves one message from INBOX.
 */
public final class BearerImapMailbox implements Function<String, String> {

    public static final String MESSAGE = "Subject: token\r\n\r\nread with a token\r\n";

    private final String user;
    private final String token;
    private final String capabilities;
    private final List<String> saslLines = new CopyOnWriteArrayList<>();
    private String authenticating;
    private String mechanism;
    private boolean challenged;

    /** @param capabilities what CAPABILITY lists, e.g. "IMAP4rev1 SASL-IR AUTH=XOAUTH2 LOGINDISABLED" */
    public BearerImapMailbox(String user, String token, String capabilities) {
        this.user = user;
        this.token = token;
        this.capabilities = capabilities;
    }

    /** The greeting to start the server with. */
    public String greeting() {
        return "* OK [CAPABILITY " + capabilities + "] scripted\r\n";
    }

    /** The lines received during AUTHENTICATE that were no command: responses and answers to challenges. */
    public List<String> saslLines() {
        return List.copyOf(saslLines);
    }

    @Override
    public synchronized String apply(String line) {
        if (authenticating != null) {
            saslLines.add(line);
            if (challenged) {
                String tag = authenticating;
                authenticating = null;
                return tag + " NO [AUTHENTICATIONFAILED] invalid token\r\n";
            }
            return check(line);
        }
        String tag = line.substring(0, line.indexOf(' '));
        String[] words = line.substring(tag.length() + 1).split(" ");
        String command = words[0].toUpperCase();
        if (command.equals("AUTHENTICATE")) {
            authenticating = tag;
            mechanism = words[1].toUpperCase();
            challenged = false;
            return words.length > 2 ? check(words[2]) : "+ \r\n";
        }
        return switch (command) {
            case "CAPABILITY" -> "* CAPABILITY " + capabilities + "\r\n" + tag + " OK done\r\n";
            case "LOGIN" -> tag + " NO [PRIVACYREQUIRED] LOGIN is disabled\r\n";
            case "SELECT" -> "* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] selected\r\n";
            case "FETCH" -> "* 1 FETCH (UID 10 RFC822.SIZE " + MESSAGE.length() + ")\r\n" + tag + " OK done\r\n";
            case "UID" -> line.contains("BODY") ? "* 1 FETCH (UID 10 BODY[] {" + MESSAGE.length() + "}\r\n" + MESSAGE
                    + ")\r\n" + tag + " OK done\r\n" : tag + " OK done\r\n";
            case "LOGOUT" -> "* BYE bye\r\n" + tag + " OK done\r\n" + ScriptedImapServer.CLOSE;
            default -> tag + " OK done\r\n";
        };
    }

    private String check(String response) {
        String message = new String(Base64.getDecoder().decode(response), StandardCharsets.ISO_8859_1);
        if (BearerMessages.valid(mechanism, message, user, token)) {
            String tag = authenticating;
            authenticating = null;
            return tag + " OK authenticated\r\n";
        }
        challenged = true;
        return "+ " + BearerMessages.ERROR_CHALLENGE + "\r\n";
    }
}

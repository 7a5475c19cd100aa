package org.popbridge.proxy.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An INBOX of {@link MessageSource}s (UID n for message n, UIDVALIDITY 1) answering the
 * commands popbridge sends to read it: CAPABILITY, LOGIN, SELECT, "FETCH 1:* (UID RFC822.SIZE)",
 * "UID FETCH uid (BODY[])" or BODY.PEEK[], NOOP and LOGOUT; anything else gets BAD. Each
 * literal is written from {@link MessageSource#writeTo} as it goes, so a message far larger
 * than the test's heap can be served, unlike GreenMail, which holds its messages in memory.
 */
public final class StreamingImapMailbox implements ScriptedImapServer.Responder {

    public static final String GREETING = "* OK [CAPABILITY IMAP4rev1 UIDPLUS] streaming mailbox ready\r\n";

    private static final Pattern UID_FETCH = Pattern.compile("UID FETCH (\\d+) \\(BODY(?:\\.PEEK)?\\[\\]\\)");

    private final String login;
    private final List<MessageSource> messages;

    private StreamingImapMailbox(String user, String password, List<MessageSource> messages) {
        this.login = "LOGIN " + user + " " + password;
        this.messages = List.copyOf(messages);
    }

    /** A server holding {@code messages} for {@code user} (user and password plain atoms). */
    public static ScriptedImapServer serve(String user, String password, List<MessageSource> messages)
            throws IOException {
        return new ScriptedImapServer(GREETING, new StreamingImapMailbox(user, password, messages));
    }

    @Override
    public boolean respond(String line, OutputStream out) throws IOException {
        int space = line.indexOf(' ');
        String tag = space < 0 ? line : line.substring(0, space);
        String command = space < 0 ? "" : line.substring(space + 1);
        Matcher fetch = UID_FETCH.matcher(command);
        String status = "OK done";
        if (command.equals("CAPABILITY")) {
            write(out, "* CAPABILITY IMAP4rev1 UIDPLUS\r\n");
        } else if (command.startsWith("LOGIN ")) {
            status = command.equals(login) ? "OK logged in" : "NO [AUTHENTICATIONFAILED] invalid credentials";
        } else if (command.equals("SELECT INBOX")) {
            write(out, "* " + messages.size() + " EXISTS\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n");
            status = "OK [READ-WRITE] selected";
        } else if (command.equals("FETCH 1:* (UID RFC822.SIZE)")) {
            for (int n = 1; n <= messages.size(); n++) {
                write(out, "* " + n + " FETCH (UID " + n + " RFC822.SIZE " + messages.get(n - 1).size() + ")\r\n");
            }
        } else if (fetch.matches()) {
            literal(out, Long.parseLong(fetch.group(1)));
        } else if (command.equals("LOGOUT")) {
            write(out, "* BYE logging out\r\n");
        } else if (!command.equals("NOOP")) {
            status = "BAD not understood by this test mailbox";
        }
        write(out, tag + " " + status + "\r\n");
        return !command.equals("LOGOUT");
    }

    /** "* n FETCH (UID n BODY[] {size}" CRLF, the octets, ")"; nothing for a UID not held (RFC 9051 6.4.8). */
    private void literal(OutputStream out, long uid) throws IOException {
        if (uid < 1 || uid > messages.size()) {
            return;
        }
        MessageSource message = messages.get((int) uid - 1);
        write(out, "* " + uid + " FETCH (UID " + uid + " BODY[] {" + message.size() + "}\r\n");
        message.writeTo(out);
        write(out, ")\r\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}

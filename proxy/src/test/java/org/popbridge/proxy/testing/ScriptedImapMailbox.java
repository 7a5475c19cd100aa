package org.popbridge.proxy.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IMAP INBOX for {@link ScriptedImapServer}: answers LOGIN, SELECT, the snapshot's
 * "FETCH 1:* (UID RFC822.SIZE)", "UID FETCH set (BODY.PEEK[HEADER])" for the login scan and
 * "UID FETCH uid (BODY[])" as a server would, from messages held by UID, and answers the header
 * fetch in one of the ways {@link HeaderFetching} names, including faults. Everything else gets
 * OK. The messages may change between commands, as when another client expunges one.
 */
public final class ScriptedImapMailbox implements ScriptedImapServer.Responder {

    /** How the header blocks of the login scan are sent. */
    public enum HeaderFetching {
        /** Each FETCH response in one write, UID first (as Dovecot does). */
        WHOLE,
        /**
         * Each FETCH response in pieces, flushed apart: cut inside the literal announcement, inside
         * the block, between the CRLFs of its blank line, and before ")".
         */
        SPLIT,
        /** The UID after the literal, as RFC 9051 section 7.5.2 allows. */
        UID_LAST,
        /** NO after the first header block. */
        REFUSED_AFTER_FIRST,
        /** The connection closes halfway through the second header block. */
        DIES_IN_SECOND,
        /** BODY[HEADER] without its blank line, as GreenMail sends it. */
        WITHOUT_BLANK_LINE
    }

    public static final String GREETING = "* OK [CAPABILITY IMAP4rev1 UIDPLUS] scripted\r\n";

    private static final Pattern HEADER_FETCH = Pattern.compile("(A\\d+) UID FETCH (\\S+) \\(BODY\\.PEEK\\[HEADER\\]\\)");
    private static final Pattern BODY_FETCH = Pattern.compile("(A\\d+) UID FETCH (\\d+) \\(BODY(\\.PEEK)?\\[\\]\\)");

    private final Map<Long, String> messages = new LinkedHashMap<>();
    private final List<Long> snapshot = new ArrayList<>();
    private final List<Long> expungeAfterSnapshot = new ArrayList<>();
    private volatile HeaderFetching headerFetching = HeaderFetching.WHOLE;

    /** Adds a message; UIDs must grow, as a server's do. */
    public synchronized ScriptedImapMailbox add(long uid, String message) {
        messages.put(uid, message);
        return this;
    }

    public ScriptedImapMailbox headerFetching(HeaderFetching how) {
        this.headerFetching = how;
        return this;
    }

    /** Another client expunges {@code uid} just after the next snapshot has been answered. */
    public synchronized ScriptedImapMailbox expungeAfterSnapshot(long uid) {
        expungeAfterSnapshot.add(uid);
        return this;
    }

    /** Another client expunges {@code uid} now. */
    public synchronized void expunge(long uid) {
        messages.remove(uid);
    }

    /** The header block of a message, up to and including its blank line (the whole message if it has none). */
    public static String headerOf(String message) {
        int blank = message.indexOf("\r\n\r\n");
        return blank < 0 ? message : message.substring(0, blank + 4);
    }

    @Override
    public synchronized boolean respond(String line, OutputStream out) throws IOException {
        String tag = line.substring(0, line.indexOf(' '));
        Matcher headers = HEADER_FETCH.matcher(line);
        Matcher body = BODY_FETCH.matcher(line);
        List<Long> uids = new ArrayList<>(messages.keySet());
        if (line.contains(" SELECT ")) {
            write(out, "* " + uids.size() + " EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + " OK [READ-WRITE] done\r\n");
        } else if (line.endsWith(" FETCH 1:* (UID RFC822.SIZE)")) {
            StringBuilder answer = new StringBuilder();
            for (int i = 0; i < uids.size(); i++) {
                answer.append("* ").append(i + 1).append(" FETCH (UID ").append(uids.get(i)).append(" RFC822.SIZE ")
                        .append(messages.get(uids.get(i)).length()).append(")\r\n");
            }
            write(out, answer + tag + " OK done\r\n");
            snapshot.clear();
            snapshot.addAll(uids);
            expungeAfterSnapshot.forEach(messages::remove);
            expungeAfterSnapshot.clear();
        } else if (headers.matches()) {
            fetchHeaders(tag, headers.group(2), out);
        } else if (body.matches()) {
            long uid = Long.parseLong(body.group(2));
            String message = messages.get(uid);
            write(out, (message == null ? "" : "* " + (uids.indexOf(uid) + 1) + " FETCH (UID " + uid + " BODY[] {"
                    + message.length() + "}\r\n" + message + ")\r\n") + tag + " OK done\r\n");
        } else if (line.endsWith(" LOGOUT")) {
            write(out, "* BYE bye\r\n" + tag + " OK done\r\n");
            return false;
        } else {
            write(out, tag + " OK done\r\n");
        }
        return true;
    }

    private void fetchHeaders(String tag, String set, OutputStream out) throws IOException {
        List<Long> uids = new ArrayList<>(messages.keySet());
        HeaderFetching how = headerFetching;
        int sent = 0;
        int expunged = 0;
        for (int i = 0; i < snapshot.size(); i++) {
            long uid = snapshot.get(i);
            if (!messages.containsKey(uid)) {
                // Expunged since the snapshot: announced by number, as RFC 9051 lets a UID command do.
                write(out, "* " + (i + 1 - expunged++) + " EXPUNGE\r\n");
                continue;
            }
            if (!inSet(uid, set)) {
                continue;
            }
            int number = uids.indexOf(uid) + 1;
            String header = headerOf(messages.get(uid));
            if (how == HeaderFetching.WITHOUT_BLANK_LINE && header.endsWith("\r\n\r\n")) {
                header = header.substring(0, header.length() - 2);
            }
            String literal = "BODY[HEADER] {" + header.length() + "}\r\n";
            String response = "* " + number + " FETCH (UID " + uid + " " + literal + header + ")\r\n";
            if (how == HeaderFetching.REFUSED_AFTER_FIRST && sent == 1) {
                write(out, tag + " NO [SERVERBUG] cannot read the rest\r\n");
                return;
            }
            if (how == HeaderFetching.DIES_IN_SECOND && sent == 1) {
                write(out, response.substring(0, response.indexOf('}') + 3 + header.length() / 2));
                out.flush();
                throw new IOException("the scripted server dies");
            }
            if (how == HeaderFetching.UID_LAST) {
                write(out, "* " + number + " FETCH (" + literal + header + " UID " + uid + ")\r\n");
            } else if (how == HeaderFetching.SPLIT) {
                int announcement = response.indexOf('{') + 2;
                int blankLine = response.indexOf("\r\n\r\n") + 2;
                int middle = (announcement + blankLine) / 2;
                for (String piece : new String[] {response.substring(0, announcement),
                        response.substring(announcement, middle), response.substring(middle, blankLine),
                        response.substring(blankLine, response.length() - 3),
                        response.substring(response.length() - 3)}) {
                    write(out, piece);
                    out.flush();
                    pause();
                }
            } else {
                write(out, response);
            }
            sent++;
        }
        write(out, tag + " OK done\r\n");
    }

    private static boolean inSet(long uid, String set) {
        for (String part : set.split(",")) {
            int colon = part.indexOf(':');
            long first = Long.parseLong(colon < 0 ? part : part.substring(0, colon));
            long last = colon < 0 ? first : "*".equals(part.substring(colon + 1)) ? Long.MAX_VALUE
                    : Long.parseLong(part.substring(colon + 1));
            if (uid >= Math.min(first, last) && uid <= Math.max(first, last)) {
                return true;
            }
        }
        return false;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Long enough for what was flushed to arrive as a read of its own. */
    private static void pause() {
        try {
            Thread.sleep(15);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

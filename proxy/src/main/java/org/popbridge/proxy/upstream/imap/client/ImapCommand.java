package org.popbridge.proxy.upstream.imap.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tagged command (RFC 9051 section 2.2.1) cut into the segments a sender writes, one
 * per synchronizing literal plus the last. {@code loggable} is the command with secrets
 * replaced by "***" and literal octets left out; {@code toString()} returns it.
 */
public record ImapCommand(String tag, List<CommandSegment> segments, String loggable) {

    public ImapCommand {
        segments = List.copyOf(segments);
        if (segments.isEmpty() || segments.get(segments.size() - 1).awaitsContinuation()) {
            throw new IllegalArgumentException("a command ends with a segment that needs no continuation");
        }
    }

    /** Starts "tag name", e.g. {@code builder("A1", "LOGIN", syntax)}. */
    public static Builder builder(String tag, String name, StringSyntax syntax) {
        return new Builder(tag, syntax).token(name);
    }

    @Override
    public String toString() {
        return loggable;
    }

    /** Assembles a command argument by argument, separated by single spaces. */
    public static final class Builder {
        private final String tag;
        private final StringSyntax syntax;
        private final List<CommandSegment> segments = new ArrayList<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final StringBuilder loggable = new StringBuilder();

        private Builder(String tag, StringSyntax syntax) {
            // A tag is 1*<ASTRING-CHAR except "+"> (RFC 9051 section 9).
            if (!ImapStrings.isAstringAtom(tag) || tag.indexOf('+') >= 0) {
                throw new IllegalArgumentException("not an IMAP tag: " + tag);
            }
            this.tag = tag;
            this.syntax = syntax;
            append(tag.getBytes(StandardCharsets.US_ASCII), tag);
        }

        /**
         * Protocol text the caller wrote itself, sent as it is: a command name, "UID",
         * "1:*", "(UID RFC822.SIZE)", "BODY.PEEK[]<0.2048>", "+FLAGS.SILENT (\Deleted)".
         */
        public Builder token(String syntaxText) {
            for (int i = 0; i < syntaxText.length(); i++) {
                char c = syntaxText.charAt(i);
                if (c < 0x20 || c > 0x7E) {
                    throw new IllegalArgumentException("protocol text must be printable ASCII");
                }
            }
            if (syntaxText.isEmpty()) {
                throw new IllegalArgumentException("empty protocol text");
            }
            space();
            append(syntaxText.getBytes(StandardCharsets.US_ASCII), syntaxText);
            return this;
        }

        /** An astring argument: atom, quoted or literal as its characters need. */
        public Builder astring(String value) {
            return argument(ImapStrings.astring(value, syntax), false);
        }

        /** An astring argument that never appears in logs, such as a password. */
        public Builder secretAstring(String value) {
            return argument(ImapStrings.astring(value, syntax), true);
        }

        /** An astring argument of octets a client sent, that never appears in logs: a login name or password. */
        public Builder secretAstring(byte[] octets) {
            return argument(ImapStrings.astring(octets, syntax), true);
        }

        /** An astring argument of octets a client sent, sent exactly as they are: a login name. */
        public Builder astring(byte[] octets) {
            return argument(ImapStrings.astring(octets, syntax), false);
        }

        /** A string argument: quoted or literal. */
        public Builder string(String value) {
            return argument(ImapStrings.string(value, syntax), false);
        }

        private Builder argument(ImapString argument, boolean secret) {
            space();
            if (argument instanceof ImapString.Literal literal) {
                byte[] head = (literal.announcement() + "\r\n").getBytes(StandardCharsets.US_ASCII);
                pending.writeBytes(head);
                loggable.append(literal.announcement()).append(' ').append(secret ? "***" : "...");
                if (literal.synchronizing()) {
                    segments.add(new CommandSegment(pending.toByteArray(), true));
                    pending.reset();
                }
                pending.writeBytes(literal.octets());
            } else if (argument instanceof ImapString.Quoted quoted) {
                append(quoted.wire(), secret ? "\"***\"" : new String(quoted.wire(), StandardCharsets.UTF_8));
            } else {
                ImapString.Atom atom = (ImapString.Atom) argument;
                append(atom.wire(), secret ? "***" : atom.text());
            }
            return this;
        }

        public ImapCommand build() {
            byte[] last = pending.toByteArray();
            byte[] withCrlf = Arrays.copyOf(last, last.length + 2);
            withCrlf[last.length] = '\r';
            withCrlf[last.length + 1] = '\n';
            List<CommandSegment> all = new ArrayList<>(segments);
            all.add(new CommandSegment(withCrlf, false));
            return new ImapCommand(tag, all, loggable.toString());
        }

        private void space() {
            pending.write(' ');
            loggable.append(' ');
        }

        private void append(byte[] octets, String shown) {
            pending.writeBytes(octets);
            loggable.append(shown);
        }
    }
}

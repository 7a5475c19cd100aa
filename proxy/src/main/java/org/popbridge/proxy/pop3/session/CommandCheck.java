package org.popbridge.proxy.pop3.session;

import java.util.Optional;
import org.popbridge.proxy.core.session.HttpRequestLine;
import org.popbridge.proxy.pop3.ClientInput;
import org.popbridge.proxy.pop3.OverlongLine;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.Pop3State;
import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/** Decides, from the command table alone, what becomes of a client line in the current state. */
final class CommandCheck {

    /** What the session does with a line. */
    sealed interface Outcome permits Dispatch, RelayExtension, Refuse, HttpRequest {
    }

    /** A known command, valid here: its handler runs. */
    record Dispatch(Pop3Verb verb, Pop3Command command) implements Outcome {
    }

    /** An extension the upstream advertised: relayed with a one-line reply. */
    record RelayExtension(Pop3Command command) implements Outcome {
    }

    /** A protocol error: -ERR with this text, counted towards the error limit. */
    record Refuse(String text) implements Outcome {
    }

    /** HTTP sent to the POP3 port: a cross-protocol attack (ALPACA) or a confused client. */
    record HttpRequest() implements Outcome {
    }

    private CommandCheck() {
    }

    static Outcome of(ClientInput input, Pop3State state, UpstreamCapabilities capabilities) {
        if (input instanceof OverlongLine overlong) {
            return new Refuse("Command line too long (limit " + overlong.limit() + " octets)");
        }
        Pop3Command command = (Pop3Command) input;
        if (hasControlCharacters(command)) {
            // A CR or NUL inside a line could end it early at the upstream and desynchronise replies.
            return new Refuse("Invalid characters in command line");
        }
        Optional<Pop3Verb> known = command.verb();
        if (known.isPresent()) {
            Pop3Verb verb = known.get();
            if (!verb.validIn(state)) {
                return new Refuse(verb + " not allowed in " + state + " state");
            }
            return verb.syntaxOk(command) ? new Dispatch(verb, command) : new Refuse("Syntax error in " + verb);
        }
        if (HttpRequestLine.matches(command.keyword())) {
            return new HttpRequest();
        }
        String keyword = command.keyword();
        if (state == Pop3State.TRANSACTION && capabilities.has(keyword) && CapabilityFilter.isRelayedExtension(keyword)) {
            return new RelayExtension(command);
        }
        return new Refuse("Unknown command");
    }

    /**
     * Whether, by the table, the line may go upstream before the commands already sent are
     * answered: a well-formed command that cannot change the state, in TRANSACTION, on an
     * upstream that pipelines (RFC 2449 section 6.6). With a maildrop, the commands answered
     * from it are not: they wait for the replies before them, so replies stay in order.
     */
    static boolean pipelinable(ClientInput input, Pop3State state, UpstreamCapabilities capabilities,
                               boolean maildropKnown) {
        if (!(input instanceof Pop3Command command) || !capabilities.pipelining() || state != Pop3State.TRANSACTION) {
            return false;
        }
        Optional<Pop3Verb> verb = command.verb();
        if (verb.isEmpty() || (maildropKnown && verb.get().answeredFromMaildrop())) {
            return false;
        }
        return !verb.get().isBarrier() && verb.get().validIn(state) && verb.get().syntaxOk(command);
    }

    /**
     * Whether, with a numbered maildrop, the command would go to the mailbox rather than be
     * answered at once: RETR, TOP and DELE of a message that exists and is not marked. A
     * refusal is answered by the session itself, so it must wait for the replies before it.
     */
    static boolean reachesMailbox(ClientInput input, Maildrop maildrop) {
        if (!(input instanceof Pop3Command command)) {
            return false;
        }
        Pop3Verb verb = command.verb().orElse(null);
        if (verb != Pop3Verb.RETR && verb != Pop3Verb.TOP && verb != Pop3Verb.DELE) {
            return true;
        }
        return maildrop.message(MessageNumber.parse(command.arguments().get(0))).isPresent();
    }

    /** A well-formed STLS: nothing more is read until it is answered (RFC 2595 section 4). */
    static boolean isStls(ClientInput input) {
        return input instanceof Pop3Command command && command.verb().orElse(null) == Pop3Verb.STLS
                && command.arguments().isEmpty();
    }

    static boolean hasControlCharacters(Pop3Command command) {
        return command.line().indexOf('\r') >= 0 || command.line().indexOf('\0') >= 0;
    }
}

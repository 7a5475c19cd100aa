package org.popbridge.proxy.pop3.session;

import static org.popbridge.proxy.pop3.session.SessionState.AUTHORIZATION;
import static org.popbridge.proxy.pop3.session.SessionState.TRANSACTION;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.popbridge.proxy.pop3.Pop3Command;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/**
 * The commands popbridge understands, with the one table of where each is valid
 * (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH, RFC 1725 LAST).
 */
enum Pop3Verb {
    USER(Arity.ONE, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION), new UserCommand()),
    PASS(Arity.REST_OF_LINE, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION), new PassCommand()),
    APOP(Arity.TWO, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION), new ApopCommand()),
    AUTH(Arity.ANY, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION), new AuthCommand()),
    STLS(Arity.NONE, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION), new StlsCommand()),
    CAPA(Arity.NONE, Flow.PIPELINABLE, ReplyShape.MULTI, EnumSet.of(AUTHORIZATION, TRANSACTION), new CapaCommand()),
    QUIT(Arity.NONE, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION, TRANSACTION), new QuitCommand()),
    STAT(Arity.NONE, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION), new StatCommand()),
    LIST(Arity.OPTIONAL_NUMBER, Flow.PIPELINABLE, ReplyShape.MULTI_WITHOUT_ARGUMENT, EnumSet.of(TRANSACTION), new ScanListingCommand(Maildrop.Column.SIZE)),
    RETR(Arity.NUMBER, Flow.PIPELINABLE, ReplyShape.MULTI, EnumSet.of(TRANSACTION), new RetrieveCommand(false)),
    DELE(Arity.NUMBER, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION), new DeleCommand()),
    NOOP(Arity.NONE, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION), new NoopCommand()),
    RSET(Arity.NONE, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION), new RsetCommand()),
    TOP(Arity.TWO_NUMBERS, Flow.PIPELINABLE, ReplyShape.MULTI, EnumSet.of(TRANSACTION), new RetrieveCommand(true)),
    UIDL(Arity.OPTIONAL_NUMBER, Flow.PIPELINABLE, ReplyShape.MULTI_WITHOUT_ARGUMENT, EnumSet.of(TRANSACTION), new ScanListingCommand(Maildrop.Column.UID)),
    LAST(Arity.NONE, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION), new LastCommand());

    /** Whether later commands may be sent before this one is answered. */
    enum Flow { PIPELINABLE, BARRIER }

    /** Whether a +OK reply to the command carries a body. */
    enum ReplyShape { SINGLE, MULTI, MULTI_WITHOUT_ARGUMENT }

    private final Arity arity;
    private final Flow flow;
    private final ReplyShape replyShape;
    private final Set<SessionState> validIn;
    private final CommandHandler handler;

    Pop3Verb(Arity arity, Flow flow, ReplyShape replyShape, Set<SessionState> validIn, CommandHandler handler) {
        this.arity = arity;
        this.flow = flow;
        this.replyShape = replyShape;
        this.validIn = validIn;
        this.handler = handler;
    }

    private static final Map<String, Pop3Verb> BY_KEYWORD =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Pop3Verb::name, verb -> verb));

    /** The verb for an upper-case keyword, if popbridge knows it. */
    static Optional<Pop3Verb> of(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword));
    }

    boolean validIn(SessionState state) {
        return validIn.contains(state);
    }

    boolean syntaxOk(Pop3Command command) {
        return arity.accepts(command.arguments());
    }

    boolean isBarrier() {
        return flow == Flow.BARRIER;
    }

    boolean multilineOnOk(Pop3Command command) {
        return switch (replyShape) {
            case SINGLE -> false;
            case MULTI -> true;
            case MULTI_WITHOUT_ARGUMENT -> command.arguments().isEmpty();
        };
    }

    /**
     * Whether, with filters on, the session answers it from the maildrop without asking the
     * upstream; it then waits for the replies before it, so replies stay in order.
     */
    boolean answeredFromMaildrop() {
        return this == STAT || this == LIST || this == UIDL;
    }

    CommandHandler handler() {
        return handler;
    }
}

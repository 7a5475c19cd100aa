package org.popbridge.proxy.pop3;

import static org.popbridge.proxy.pop3.Pop3State.AUTHORIZATION;
import static org.popbridge.proxy.pop3.Pop3State.TRANSACTION;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The commands popbridge understands, with the one table of where each is valid
 * (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH, RFC 1725 LAST).
 */
public enum Pop3Verb {
    USER(Arity.ONE, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION)),
    PASS(Arity.REST_OF_LINE, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION)),
    APOP(Arity.TWO, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION)),
    AUTH(Arity.ANY, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION)),
    STLS(Arity.NONE, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION)),
    CAPA(Arity.NONE, Flow.PIPELINABLE, ReplyShape.MULTI, EnumSet.of(AUTHORIZATION, TRANSACTION)),
    QUIT(Arity.NONE, Flow.BARRIER, ReplyShape.SINGLE, EnumSet.of(AUTHORIZATION, TRANSACTION)),
    STAT(Arity.NONE, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION)),
    LIST(Arity.OPTIONAL_NUMBER, Flow.PIPELINABLE, ReplyShape.MULTI_WITHOUT_ARGUMENT, EnumSet.of(TRANSACTION)),
    RETR(Arity.NUMBER, Flow.PIPELINABLE, ReplyShape.MULTI, EnumSet.of(TRANSACTION)),
    DELE(Arity.NUMBER, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION)),
    NOOP(Arity.NONE, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION)),
    RSET(Arity.NONE, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION)),
    TOP(Arity.TWO_NUMBERS, Flow.PIPELINABLE, ReplyShape.MULTI, EnumSet.of(TRANSACTION)),
    UIDL(Arity.OPTIONAL_NUMBER, Flow.PIPELINABLE, ReplyShape.MULTI_WITHOUT_ARGUMENT, EnumSet.of(TRANSACTION)),
    LAST(Arity.NONE, Flow.PIPELINABLE, ReplyShape.SINGLE, EnumSet.of(TRANSACTION));

    /** Whether later commands may be sent before this one is answered. */
    enum Flow { PIPELINABLE, BARRIER }

    /** Whether a +OK reply to the command carries a body. */
    enum ReplyShape { SINGLE, MULTI, MULTI_WITHOUT_ARGUMENT }

    private final Arity arity;
    private final Flow flow;
    private final ReplyShape replyShape;
    private final Set<Pop3State> validIn;

    Pop3Verb(Arity arity, Flow flow, ReplyShape replyShape, Set<Pop3State> validIn) {
        this.arity = arity;
        this.flow = flow;
        this.replyShape = replyShape;
        this.validIn = validIn;
    }

    /** Each verb's Optional made once: every client line asks for its verb. */
    private static final Map<String, Optional<Pop3Verb>> BY_KEYWORD =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Pop3Verb::name, Optional::of));

    /** The verb for an upper-case keyword, if popbridge knows it. */
    public static Optional<Pop3Verb> of(String keyword) {
        return BY_KEYWORD.getOrDefault(keyword, Optional.empty());
    }

    public boolean validIn(Pop3State state) {
        return validIn.contains(state);
    }

    public boolean syntaxOk(Pop3Command command) {
        return arity.accepts(command.arguments());
    }

    public boolean isBarrier() {
        return flow == Flow.BARRIER;
    }

    public boolean multilineOnOk(Pop3Command command) {
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
    public boolean answeredFromMaildrop() {
        return this == STAT || this == LIST || this == UIDL;
    }
}

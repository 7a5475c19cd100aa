package org.popbridge.proxy.pop3.session;

import org.popbridge.proxy.pop3.Pop3Verb;
import org.popbridge.proxy.pop3.maildrop.Maildrop;

/**
 * Which handler answers each verb: the session's own for the AUTHORIZATION commands, and in
 * TRANSACTION either a plain relay to the upstream or, when the session numbers the maildrop
 * (filters, or an IMAP upstream), the handlers that answer from it.
 */
final class CommandHandlers {

    private static final CommandHandler RELAYED = new RelayedHandler();
    private static final CommandHandler USER = new UserHandler();
    private static final CommandHandler PASS = new PassHandler();
    private static final CommandHandler APOP = new ApopHandler();
    private static final CommandHandler AUTH = new AuthHandler();
    private static final CommandHandler STLS = new StlsHandler();
    private static final CommandHandler CAPA = new CapaHandler();
    private static final CommandHandler QUIT = new QuitHandler();
    private static final CommandHandler LAST = new LastHandler();
    private static final CommandHandler STAT = new StatHandler();
    private static final CommandHandler LIST = new ScanListingHandler(Maildrop.Column.SIZE);
    private static final CommandHandler UIDL = new ScanListingHandler(Maildrop.Column.UID);
    private static final CommandHandler RETR = new RetrieveHandler(false);
    private static final CommandHandler TOP = new RetrieveHandler(true);
    private static final CommandHandler DELE = new DeleHandler();
    private static final CommandHandler RSET = new RsetHandler();
    private static final CommandHandler NOOP = new NoopHandler();

    private CommandHandlers() {
    }

    /** The handler for {@code verb}; {@code maildrop} says whether the session numbers the maildrop. */
    static CommandHandler of(Pop3Verb verb, boolean maildrop) {
        return switch (verb) {
            case USER -> USER;
            case PASS -> PASS;
            case APOP -> APOP;
            case AUTH -> AUTH;
            case STLS -> STLS;
            case CAPA -> CAPA;
            case QUIT -> QUIT;
            case LAST -> LAST;
            case STAT -> maildrop ? STAT : RELAYED;
            case LIST -> maildrop ? LIST : RELAYED;
            case UIDL -> maildrop ? UIDL : RELAYED;
            case RETR -> maildrop ? RETR : RELAYED;
            case TOP -> maildrop ? TOP : RELAYED;
            case DELE -> maildrop ? DELE : RELAYED;
            case RSET -> maildrop ? RSET : RELAYED;
            case NOOP -> maildrop ? NOOP : RELAYED;
        };
    }
}

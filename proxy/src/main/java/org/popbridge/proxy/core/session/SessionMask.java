package org.popbridge.proxy.core.session;

/**
 * The masks of one session's client lines: each command by its protocol's {@link CommandMask},
 * and, after an AUTH that got no challenge, every line up to the next command as a whole. A
 * client that did not read the refusal of its AUTH (TLS required, mechanism unknown, wrong
 * state) sends its SASL response anyway (RFC 5034 section 4, RFC 4954 section 4), and that line
 * is a password in base64 that looks like nothing in particular. Lines of an exchange in progress
 * never reach the log at all.
 */
public final class SessionMask {

    private final CommandMask commands;
    /** An AUTH named a mechanism and no challenge came since: lines that are not commands may be responses. */
    private boolean responseMayFollow;

    public SessionMask(CommandMask commands) {
        this.commands = commands;
    }

    /** A line the session handles as a command, as logs and session filters may see it. */
    public MaskedLine command(String line) {
        MaskedLine shown = commands.command(line);
        boolean command = commands.isCommand(shown.keyword());
        if (responseMayFollow && !command) {
            return new MaskedLine(CommandMask.MASK, "");
        }
        responseMayFollow = CommandMask.opensSasl(shown);
        return shown;
    }

    /** The server (or popbridge for it) asked for a SASL response: the exchange started, and its lines are not commands. */
    public void challenged() {
        responseMayFollow = false;
    }
}

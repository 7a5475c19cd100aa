package org.popbridge.proxy.pop3;

/** What the command decoder hands the session: a command line, or a line it refused. */
public sealed interface ClientInput permits Pop3Command, OverlongLine {
}

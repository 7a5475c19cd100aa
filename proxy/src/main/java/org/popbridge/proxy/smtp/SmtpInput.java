package org.popbridge.proxy.smtp;

/** What the command decoder hands the SMTP session: a command, a line it refused, or message data. */
public sealed interface SmtpInput permits SmtpCommand, SmtpOverlongLine, MessageChunk, EndOfMessage {
}

package org.popbridge.proxy.smtp;

import io.netty.buffer.ByteBufHolder;

/**
 * Octets of a message after DATA, in one of two forms: {@link MessageChunk} as the message holds
 * them (dot-stuffing undone, for whoever reads the message) or {@link StuffedChunk} as they go on
 * the wire (dot-stuffed, for a relay that does not look inside). One message comes in one form.
 */
public sealed interface MessageData extends SmtpInput, ByteBufHolder permits MessageChunk, StuffedChunk {
}

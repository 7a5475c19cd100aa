package org.popbridge.proxy.smtp.session;

import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommandDecoder;

/**
 * One message's data, from DATA to the reply the client gets for its final "." (RFC 5321
 * section 4.1.1.4). Its outcome reaches the session through {@link TransferSteps}: a reply that
 * ends the transaction, or one after which the session cannot go on.
 */
sealed interface Transfer permits MessageTransfer, FilteredTransfer {

    /**
     * Tells the decoder that the message follows, in the form this transfer takes: unstuffed for
     * one that reads it, stuffed as the client sent it for one that only relays it.
     */
    void expectData(SmtpCommandDecoder decoder);

    /**
     * A chunk of the message, in the form asked for, which the transfer owns from here.
     *
     * @param octetsSoFar the message's size with this chunk, as the decoder counted it (stuffing not counted)
     */
    void take(MessageChunk chunk, long octetsSoFar);

    /** The client's "." arrived: the message is complete on the client's side. */
    void end();

    /** Whether the client may send more now; false while the server cannot take more or filters decide. */
    boolean wantsInput();

    /** The session is closing: nothing more is sent, filters hear the message ended incomplete. */
    void abort();

    /** The message's size so far, as the client sent it. */
    long octets();
}

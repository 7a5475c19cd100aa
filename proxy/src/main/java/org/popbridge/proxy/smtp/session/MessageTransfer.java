package org.popbridge.proxy.smtp.session;

import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommandDecoder;
import org.popbridge.proxy.smtp.SmtpReply;

/**
 * One message's data streamed to the submission server as it comes, after the server's own
 * 354, with reading from the client paused while the server's connection cannot take more.
 * Nothing reads the message on the way, so it goes as the client stuffed it: slices of what
 * arrived, neither unstuffed nor stuffed again. A
 * message that grows over the size limit is dropped from there on and the server cut off
 * before it sees a ".", so nothing of it is delivered (RFC 1870 section 6.3).
 */
final class MessageTransfer implements Transfer {

    /** The reply to a message over the limit (RFC 1870 section 6.3). */
    static final SmtpReply TOO_BIG = SmtpReply.of(552, "5.3.4 Message size exceeds fixed maximum message size");

    private final SubmissionLeg upstream;
    private final long limit;
    private final TransferSteps steps;
    private long octets;
    private boolean tooBig;
    private boolean over;

    MessageTransfer(SubmissionLeg upstream, long limit, TransferSteps steps) {
        this.upstream = upstream;
        this.limit = limit;
        this.steps = steps;
    }

    @Override
    public void expectData(SmtpCommandDecoder decoder) {
        decoder.expectStuffedMessage();
    }

    @Override
    public void take(MessageChunk chunk, long octetsSoFar) {
        octets = octetsSoFar;
        if (tooBig || over || octets > limit) {
            chunk.release();
            if (!tooBig && !over) {
                tooBig = true;
                steps.cutOffUpstream();
            }
            return;
        }
        upstream.sendMessage(chunk);
        if (!upstream.isWritable()) {
            steps.inputChanged();
        }
    }

    @Override
    public void end() {
        over = true;
        if (tooBig) {
            steps.abandoned(TOO_BIG);
        } else {
            steps.endUpstream(steps::answered);
        }
    }

    @Override
    public boolean wantsInput() {
        return tooBig || upstream.isWritable();
    }

    @Override
    public void abort() {
        over = true;
    }

    @Override
    public long octets() {
        return octets;
    }
}

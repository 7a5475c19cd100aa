package org.popbridge.proxy.smtp.session;

import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import org.popbridge.filters.ChainOutcome;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterFailure;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.MessageRun;
import org.popbridge.proxy.core.filtering.HeaderCollector;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.smtp.MessageChunk;
import org.popbridge.proxy.smtp.SmtpCommandDecoder;
import org.popbridge.proxy.smtp.SmtpCommand;
import org.popbridge.proxy.smtp.SmtpReply;
import org.popbridge.proxy.smtp.SmtpVerb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message through the outgoing filters. popbridge said 354 itself, so the server is asked
 * for nothing until the filters have decided: the header block is gathered (up to the header
 * limit), the chain runs on it, and only a message it lets through is given to the server,
 * with DATA, the edited header block, then the body streamed as it comes. A refused message
 * never reaches the server: its transaction is reset there and the client gets the refusal
 * for its ".". The server's own reply to DATA, if not 354, is the client's too.
 */
final class FilteredTransfer implements Transfer {

    private enum Stage {
        /** Gathering the header block. */
        HEADERS,
        /** The chain is deciding; what comes meanwhile is held. */
        FILTERING,
        /** DATA went to the server; its 354 is awaited. */
        OPENING,
        /** The server takes the message; chunks go on as they come. */
        STREAMING,
        /** The message goes nowhere; its data is read and dropped until the ".". */
        DISCARDING
    }

    /** The reply when a filter failed and the chain is fail-closed: temporary, so the client retries. */
    static final SmtpReply FILTER_FAILED = SmtpReply.of(451, "4.7.0 Message not sent: a filter failed, try again later");

    private static final Logger log = LoggerFactory.getLogger(FilteredTransfer.class);

    private final String sessionId;
    private final SubmissionLeg upstream;
    private final TransferSteps steps;
    private final FilterChain chain;
    private final MessageInfo message;
    private final long sizeLimit;
    private final int headerLimit;
    private final Executor executor;
    private final HeaderCollector collector;
    private final Deque<MessageChunk> held = new ArrayDeque<>();
    private Stage stage = Stage.HEADERS;
    private MessageRun run;
    private long octets;
    private boolean clientEnded;
    private boolean aborted;
    /** The reply the client gets for its "." when the message goes nowhere; null until then. */
    private SmtpReply refusal;
    /** Whether the session cannot go on after the refusal (the server was cut off mid-data). */
    private boolean fatal;
    private boolean resetDone;

    FilteredTransfer(String sessionId, SubmissionLeg upstream, TransferSteps steps, FilterChain chain,
                     MessageInfo message, long sizeLimit, int headerLimit, Executor executor) {
        this.sessionId = sessionId;
        this.upstream = upstream;
        this.steps = steps;
        this.chain = chain;
        this.message = message;
        this.sizeLimit = sizeLimit;
        this.headerLimit = headerLimit;
        this.executor = executor;
        this.collector = new HeaderCollector(headerLimit);
    }

    @Override
    public void expectData(SmtpCommandDecoder decoder) {
        // The filters read the header block and may watch the body: they need the message's own octets.
        decoder.expectMessage();
    }

    @Override
    public void take(MessageChunk chunk, long octetsSoFar) {
        if (chunk.stuffed()) {
            chunk.release();
            // expectData asked for the message's own octets: the filters would read stuffing dots as content.
            throw new IllegalStateException("stuffed message data for the outgoing filters");
        }
        octets = octetsSoFar;
        if (aborted || stage == Stage.DISCARDING) {
            chunk.release();
            return;
        }
        if (octets > sizeLimit) {
            chunk.release();
            tooBig();
            return;
        }
        switch (stage) {
            case HEADERS -> gather(chunk);
            case FILTERING, OPENING -> held.addLast(chunk);
            case STREAMING -> send(chunk);
            case DISCARDING -> chunk.release();
        }
    }

    private void gather(MessageChunk chunk) {
        HeaderCollector.Progress progress = collector.offer(chunk.content());
        if (progress == HeaderCollector.Progress.OVER_LIMIT) {
            chunk.release();
            // Passing it unfiltered would let a padded header block carry a forged From: past the policy.
            discard(SmtpReply.of(552, "5.3.4 Header block too long to check (limit " + headerLimit + " octets)"));
            return;
        }
        if (chunk.content().isReadable()) {
            held.addLast(chunk);
        } else {
            chunk.release();
        }
        if (progress == HeaderCollector.Progress.COMPLETE) {
            filter();
        }
    }

    @Override
    public void end() {
        clientEnded = true;
        switch (stage) {
            // A message with no blank line is all header block.
            case HEADERS -> filter();
            case STREAMING -> finish();
            case DISCARDING -> answerRefusal();
            case FILTERING, OPENING -> {
                // Finished when the filters or the server answer.
            }
        }
    }

    /** Runs the chain on the header block; reading pauses until it decides. */
    private void filter() {
        stage = Stage.FILTERING;
        steps.inputChanged();
        run = chain.start(message, executor);
        run.headers(HeaderBlock.parse(collector.octets())).whenComplete((outcome, error) -> {
            if (error != null) {
                log.warn("[{}] the outgoing filters failed: {}", sessionId, LogText.of(error));
                decided(null);
            } else {
                decided(outcome);
            }
        });
    }

    private void decided(ChainOutcome outcome) {
        if (aborted || stage != Stage.FILTERING) {
            // Aborted, or the message went over the size limit while the filters decided.
            return;
        }
        if (outcome != null) {
            for (FilterFailure failure : outcome.failures()) {
                log.warn("[{}] outgoing filter {}", sessionId, LogText.of(failure.describe()));
            }
            outcome.findings().forEach(finding -> log.debug("[{}] {}", sessionId, LogText.of(finding)));
        }
        if (outcome == null || outcome.disposition() == ChainOutcome.Disposition.REFUSE) {
            SmtpReply reply = outcome == null || outcome.refusal() == null ? FILTER_FAILED
                    : SmtpReply.of(550, "5.7.1 " + outcome.refusal().text());
            log.info("[{}] message refused by {}: {} {}", sessionId,
                    outcome == null || outcome.refusal() == null ? "a failed filter" : outcome.refusal().filter(),
                    reply.code(), LogText.of(reply.text()));
            discard(reply);
            return;
        }
        byte[] headers = outcome.headers().toBytes();
        stage = Stage.OPENING;
        steps.relay(SmtpCommand.of(SmtpVerb.DATA, null), reply -> dataAnswered(reply, headers));
    }

    private void dataAnswered(SmtpReply reply, byte[] headers) {
        if (aborted) {
            return;
        }
        if (reply.code() != 354) {
            // The server's refusal is the client's answer; the transaction it holds is reset.
            discard(reply);
            return;
        }
        stage = Stage.STREAMING;
        upstream.sendMessage(new MessageChunk(Unpooled.wrappedBuffer(headers)));
        while (!held.isEmpty() && stage == Stage.STREAMING) {
            send(held.removeFirst());
        }
        if (stage != Stage.STREAMING) {
            return;
        }
        if (clientEnded) {
            finish();
        } else {
            steps.inputChanged();
        }
    }

    private void send(MessageChunk chunk) {
        if (chain.watchesBodies() && !run.body(chunk.content().nioBuffer())) {
            chunk.release();
            run.failures().forEach(failure -> log.warn("[{}] outgoing filter {}", sessionId,
                    LogText.of(failure.describe())));
            // Part of the message is at the server already; only cutting it off keeps it undelivered.
            steps.cutOffUpstream();
            fatal = true;
            discard(FILTER_FAILED);
            return;
        }
        upstream.sendMessage(chunk);
        if (!upstream.isWritable()) {
            steps.inputChanged();
        }
    }

    private void finish() {
        steps.endUpstream(reply -> {
            run.end(reply.isPositive());
            steps.answered(reply);
        });
    }

    private void tooBig() {
        if (stage == Stage.OPENING || stage == Stage.STREAMING) {
            // DATA went to the server: only cutting it off keeps the part it has undelivered.
            steps.cutOffUpstream();
            fatal = true;
        }
        discard(MessageTransfer.TOO_BIG);
    }

    /** The message goes nowhere: drop what is held, reset the server's transaction, answer at the ".". */
    private void discard(SmtpReply reply) {
        stage = Stage.DISCARDING;
        refusal = reply;
        releaseHeld();
        if (fatal) {
            resetDone = true;
        } else {
            steps.relay(SmtpCommand.of(SmtpVerb.RSET, null), reset -> {
                resetDone = true;
                answerRefusal();
            });
        }
        steps.inputChanged();
        answerRefusal();
    }

    private void answerRefusal() {
        if (!clientEnded || !resetDone || aborted || refusal == null) {
            return;
        }
        SmtpReply reply = refusal;
        refusal = null;
        if (run != null) {
            run.end(false);
        }
        if (fatal) {
            steps.abandoned(reply);
        } else {
            steps.answered(reply);
        }
    }

    @Override
    public boolean wantsInput() {
        return switch (stage) {
            case HEADERS, DISCARDING -> true;
            case FILTERING, OPENING -> false;
            case STREAMING -> upstream.isWritable();
        };
    }

    @Override
    public void abort() {
        aborted = true;
        releaseHeld();
        if (run != null) {
            run.end(false);
        }
    }

    @Override
    public long octets() {
        return octets;
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            held.removeFirst().release();
        }
    }
}

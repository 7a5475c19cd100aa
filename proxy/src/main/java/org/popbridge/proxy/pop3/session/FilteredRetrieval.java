package org.popbridge.proxy.pop3.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletionStage;
import org.popbridge.proxy.core.filtering.FilterResult;
import org.popbridge.proxy.core.filtering.FilteredMessage;
import org.popbridge.proxy.core.filtering.HeaderCollector;
import org.popbridge.proxy.core.session.LogText;
import org.popbridge.proxy.pop3.ContentChunk;
import org.popbridge.proxy.pop3.StatusLine;
import org.popbridge.proxy.pop3.maildrop.Maildrop;
import org.popbridge.proxy.pop3.maildrop.MaildropEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply to a RETR or TOP with filters on. The +OK is held and the header block gathered;
 * the chain decides on it (or the cache remembers); then the client gets the +OK, the header
 * block as the filters left it, and the body streamed as it comes. Until the chain has
 * decided, later replies wait, so replies stay in order; a refusal under fail-closed becomes
 * -ERR and the upstream's body is read and dropped.
 */
final class FilteredRetrieval implements ReplyHandler {

    private enum Phase { STATUS, HEADERS, DECIDING, STREAMING, DISCARDING, DONE }

    /** "+OK 1234 octets", as Dovecot and others answer RETR: the count (15 digits at most) follows the filters. */
    private static final int MAX_SIZE_DIGITS = 15;

    private static final Logger log = LoggerFactory.getLogger(FilteredRetrieval.class);

    private final SessionContext session;
    private final MaildropContext numbered;
    private final SessionFiltering filtering;
    private final Maildrop maildrop;
    private final int number;
    private final MaildropEntry entry;
    private final boolean top;
    private final ReplyHandler relay;
    private final Deque<ContentChunk> held = new ArrayDeque<>();
    private Phase phase = Phase.STATUS;
    private StatusLine status;
    private HeaderCollector headers;
    private FilteredMessage message;
    private boolean endSeen;
    private int failuresReported;

    FilteredRetrieval(SessionContext session, MaildropContext numbered, int number, boolean top) {
        this.session = session;
        this.numbered = numbered;
        this.filtering = numbered.filtering();
        this.maildrop = numbered.maildrop();
        this.number = number;
        this.entry = maildrop.message(number).orElseThrow();
        this.top = top;
        this.relay = session.relay();
    }

    @Override
    public void onStatus(StatusLine reply) {
        if (!reply.isOk()) {
            phase = Phase.DONE;
            relay.onStatus(reply);
            return;
        }
        status = reply;
        headers = new HeaderCollector(filtering.headerLimit());
        phase = Phase.HEADERS;
    }

    @Override
    public void onContent(ContentChunk chunk) {
        switch (phase) {
            case HEADERS -> gather(chunk);
            case DECIDING -> held.addLast(chunk);
            case STREAMING -> stream(chunk);
            default -> chunk.release();
        }
    }

    /**
     * Once the header block is in, the rest of the body goes to the client as the server sent it,
     * stuffing and all, unless a filter watches bodies: only the header block is read here.
     */
    @Override
    public boolean takesBodyAsSent() {
        return phase != Phase.STATUS && phase != Phase.HEADERS && !filtering.watchesBodies();
    }

    @Override
    public void onEnd() {
        switch (phase) {
            case HEADERS -> {
                // A message that is all header block, without the blank line.
                endSeen = true;
                decide(headers.octets());
            }
            case DECIDING -> endSeen = true;
            case STREAMING -> finish();
            default -> phase = Phase.DONE;
        }
    }

    private void gather(ContentChunk chunk) {
        HeaderCollector.Progress progress;
        try {
            progress = headers.offer(chunk.content());
        } catch (RuntimeException e) {
            chunk.release();
            throw e;
        }
        switch (progress) {
            case MORE -> chunk.release();
            case COMPLETE -> {
                keepRest(chunk);
                decide(headers.octets());
            }
            case OVER_LIMIT -> {
                log.warn("[{}] message {} (uidl {}): header block over {} octets, passed unfiltered",
                        filtering.sessionId(), entry.upstreamNumber(), LogText.of(uidlForLog()),
                        filtering.headerLimit());
                keepRest(chunk);
                deliver(FilterResult.unfiltered(headers.octets()));
            }
        }
    }

    /** What is left of the chunk after the header block is the start of the body. */
    private void keepRest(ContentChunk chunk) {
        if (chunk.content().isReadable()) {
            held.addLast(chunk);
        } else {
            chunk.release();
        }
    }

    private void decide(byte[] original) {
        phase = Phase.DECIDING;
        message = filtering.open(entry, session.executor());
        CompletionStage<FilterResult> stage;
        try {
            stage = message.headers(original);
        } catch (RuntimeException e) {
            log.warn("[{}] message {} (uidl {}): header block not filtered: {}", filtering.sessionId(),
                    entry.upstreamNumber(), LogText.of(uidlForLog()), LogText.of(e));
            deliver(FilterResult.unfiltered(original));
            return;
        }
        if (stage.toCompletableFuture().isDone()) {
            decided(stage.toCompletableFuture().join());
            return;
        }
        numbered.suspendReplies();
        stage.whenComplete((result, error) -> {
            decided(error == null ? result : FilterResult.unfiltered(original));
            numbered.resumeReplies();
        });
    }

    private void decided(FilterResult result) {
        if (session.closing()) {
            releaseHeld();
            message.end(false);
            phase = Phase.DONE;
            return;
        }
        filtering.logFailures(entry, result.failures());
        failuresReported = result.failures().size();
        filtering.logFindings(entry, result.findings());
        if (result.refused()) {
            refuse();
            return;
        }
        // From now on LIST reports what this delivery sends. A message a filter would hide now
        // is delivered all the same: the client already has its number.
        maildrop.outcomeKnown(number, result.sizeDelta());
        deliver(result);
    }

    private void deliver(FilterResult result) {
        relay.onStatus(withSize(status, result.sizeDelta()));
        ByteBuf block = Unpooled.wrappedBuffer(result.headers());
        if (block.isReadable()) {
            relay.onContent(new ContentChunk(block));
        }
        phase = Phase.STREAMING;
        while (!held.isEmpty() && phase == Phase.STREAMING) {
            stream(held.removeFirst());
        }
        if (endSeen && phase == Phase.STREAMING) {
            finish();
        }
    }

    /** Under fail-closed: -ERR for this command; the body still coming is dropped, nothing changes upstream. */
    private void refuse() {
        releaseHeld();
        if (message != null) {
            message.end(false);
        }
        relay.onStatus(StatusLine.err("[SYS/TEMP] message " + number + " could not be filtered, try again later"));
        phase = endSeen ? Phase.DONE : Phase.DISCARDING;
    }

    private void stream(ContentChunk chunk) {
        if (message != null && filtering.watchesBodies()
                && !message.body(chunk.content().nioBuffer())) {
            chunk.release();
            reportBodyFailures();
            releaseHeld();
            phase = Phase.DONE;
            // Under fail-closed a message whose body a filter could not check must not look complete.
            session.abortMidReply("a filter failed on the body of message " + number);
            return;
        }
        relay.onContent(chunk);
    }

    private void finish() {
        phase = Phase.DONE;
        if (message != null) {
            message.end(!top);
            reportBodyFailures();
        }
        relay.onEnd();
        if (!top) {
            session.metrics().retrieved();
        }
    }

    private void reportBodyFailures() {
        var failures = message.bodyFailures(failuresReported);
        failuresReported += failures.size();
        filtering.logFailures(entry, failures);
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            held.removeFirst().release();
        }
    }

    private String uidlForLog() {
        return entry.uidl() == null ? "-" : entry.uidl();
    }

    /** "+OK 1234 octets" with the count the filters make it; any other text as it is. */
    private static StatusLine withSize(StatusLine status, int sizeDelta) {
        if (sizeDelta == 0) {
            return status;
        }
        String text = status.text();
        int digits = 0;
        while (digits < text.length() && digits <= MAX_SIZE_DIGITS && text.charAt(digits) >= '0'
                && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > MAX_SIZE_DIGITS || !text.startsWith(" octets", digits)) {
            return status;
        }
        long size = Long.parseLong(text, 0, digits, 10) + sizeDelta;
        return StatusLine.ok(size + text.substring(digits));
    }
}

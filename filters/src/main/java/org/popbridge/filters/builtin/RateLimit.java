package org.popbridge.filters.builtin;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongSupplier;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.Direction;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionFilterFactory;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.SubmittedMessage;
import org.popbridge.filters.rules.AsciiCase;

/**
 * The configured {@code rate-limit} filter: each user may send {@code messages} messages at
 * once, then one more every {@code per / messages}. A MAIL FROM (RFC 5321 section 4.1.1.2)
 * beyond that is deferred with 450 4.7.1, so clients try again later. Only messages the server
 * accepted count; the count is shared by all of a user's sessions.
 */
final class RateLimit implements SessionFilterFactory {

    private final int messages;
    private final String per;
    private final SendingBuckets buckets;

    /**
     * @param messages how many messages a user may send at once
     * @param per the time in which the allowance comes back whole
     * @param perText {@code per} as the config wrote it, for the reason the client gets
     * @param nanos the clock, as {@link System#nanoTime()}
     */
    RateLimit(int messages, Duration per, String perText, LongSupplier nanos) {
        this.messages = messages;
        this.per = perText;
        this.buckets = new SendingBuckets(messages, per, nanos);
    }

    /** It limits what users send; reading mail is not limited. */
    @Override
    public Set<Direction> directions() {
        return EnumSet.of(Direction.OUTGOING);
    }

    @Override
    public SessionFilter forSession(SessionInfo session) {
        return new SessionFilter() {
            @Override
            public CommandDecision command(SessionCommand command) {
                return mailFrom(command);
            }

            @Override
            public void submitted(SubmittedMessage message) {
                RateLimit.this.submitted(message);
            }
        };
    }

    /** A new transaction while the user has no token left is deferred. */
    CommandDecision mailFrom(SessionCommand command) {
        if (!command.keyword().equals("MAIL") || command.user() == null || buckets.hasToken(key(command.user()))) {
            return CommandDecision.allow();
        }
        return CommandDecision.defer("Too many messages: at most " + messages + " per " + per + " for "
                + ReplyText.safe(command.user()) + ", try again later");
    }

    /** A message the server accepted takes a token; one refused or failed costs nothing. */
    void submitted(SubmittedMessage message) {
        if (message.accepted() && message.user() != null) {
            buckets.take(key(message.user()));
        }
    }

    /** How many users' buckets are held, for tests of the sweep. */
    int trackedUsers() {
        return buckets.tracked();
    }

    private static String key(String user) {
        return AsciiCase.lower(user.strip());
    }
}

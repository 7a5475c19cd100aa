package org.popbridge.filters.builtin;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.Direction;
import org.popbridge.filters.Envelope;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageFilter;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilter;
import org.popbridge.filters.SessionFilterFactory;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.Verdict;
import org.popbridge.filters.rules.AddressList;
import org.popbridge.filters.rules.MailAddress;

/**
 * The configured {@code sender-policy} filter: a user sends only as an address that is theirs.
 * It checks the envelope sender at MAIL FROM (RFC 5321 section 4.1.1.2), so a forged sender is
 * refused before any data is sent, and again with every From address (RFC 5322 section 3.6.2)
 * once the header block is in; the second check also covers {@code popbridge test-rules}.
 */
final class SenderPolicy implements SessionFilterFactory, MessageFilterFactory {

    private final SenderRules rules;

    SenderPolicy(SenderRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** It polices mail users send; mail they read is not theirs to choose. */
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
        };
    }

    @Override
    public MessageFilter forMessage(MessageInfo message) {
        return headers -> check(headers, message).now();
    }

    /**
     * MAIL FROM with an address that is not the user's is refused. Without a login the server
     * is left to demand one (530), and the message check refuses what gets through anyway.
     */
    CommandDecision mailFrom(SessionCommand command) {
        if (!command.keyword().equals("MAIL") || command.user() == null) {
            return CommandDecision.allow();
        }
        Optional<ReversePath> path = ReversePath.ofMailArguments(command.arguments());
        if (path.isEmpty() || path.get().isNull() || allows(command.user(), path.get())) {
            return CommandDecision.allow();
        }
        return CommandDecision.refuse(notYours("Sender address", path.get().shown(), command.user()));
    }

    /** The envelope sender and every From address must be the user's. */
    Verdict check(HeaderBlock headers, MessageInfo message) {
        Envelope envelope = message.envelope();
        if (envelope == null) {
            // A message being read: not this filter's business, and directions() keeps it away.
            return Verdict.deliver();
        }
        String user = message.user();
        if (user == null) {
            return Verdict.refuse("No logged-in user to check the sender against");
        }
        Set<String> allowed = new LinkedHashSet<>();
        ReversePath sender = ReversePath.of(envelope.sender());
        if (!sender.isNull()) {
            if (!allows(user, sender)) {
                return Verdict.refuse(notYours("Sender address", sender.shown(), user));
            }
            allowed.add(sender.shown());
        }
        boolean anyFrom = false;
        for (String value : headers.all("From")) {
            for (MailAddress from : AddressList.parse(value)) {
                anyFrom = true;
                if (!rules.allows(user, from)) {
                    return Verdict.refuse(notYours("From: address", from.toString(), user));
                }
                allowed.add(from.toString());
            }
        }
        if (!anyFrom) {
            return Verdict.refuse("The message has no From: address");
        }
        return Verdict.deliver(ReplyText.safe(user) + " may send as " + String.join(", ", allowed));
    }

    /** A path that is not an address (a bare {@code postmaster}) cannot be shown to be the user's. */
    private boolean allows(String user, ReversePath path) {
        return path.address().map(address -> rules.allows(user, address)).orElse(false);
    }

    private static String notYours(String what, String address, String user) {
        return what + " <" + ReplyText.safe(address) + "> is not yours (logged in as " + ReplyText.safe(user) + ")";
    }
}

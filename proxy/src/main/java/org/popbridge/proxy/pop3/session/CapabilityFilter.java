package org.popbridge.proxy.pop3.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.popbridge.proxy.pop3.Pop3State;
import org.popbridge.proxy.pop3.Pop3Verb;

/**
 * Derives the CAPA reply the client sees from the upstream's: what the upstream can do,
 * less what the proxy cannot relay or this connection does not allow, plus what the proxy
 * itself provides (STLS to the client, PIPELINING through its command queue).
 */
final class CapabilityFilter {

    /** Capabilities passed through as the upstream states them. */
    private static final Set<String> RELAYED = Set.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "EXPIRE", "LOGIN-DELAY");

    /** Capabilities the proxy states itself, whatever the upstream said. */
    private static final Set<String> OWN = Set.of("STLS", "PIPELINING", "IMPLEMENTATION");

    /**
     * Extensions the proxy cannot relay: LANG has a multi-line form, UTF8 changes the session in
     * AUTHORIZATION; XCLIENT is offered to popbridge as a trusted peer, and a client must never
     * be able to name its own address with it.
     */
    private static final Set<String> NOT_RELAYABLE = Set.of("LANG", "UTF8", "XCLIENT");

    /** Whether an upstream extension with this tag is advertised, and its commands relayed. */
    static boolean isRelayedExtension(String tag) {
        return !tag.isEmpty() && !RELAYED.contains(tag) && !OWN.contains(tag) && !NOT_RELAYABLE.contains(tag)
                && !tag.equals("USER") && !tag.equals("SASL") && Pop3Verb.of(tag).isEmpty();
    }

    private final Pop3State state;
    private final boolean stlsAvailable;
    private final boolean plaintextAuthAllowed;

    CapabilityFilter(Pop3State state, boolean stlsAvailable, boolean plaintextAuthAllowed) {
        this.state = state;
        this.stlsAvailable = stlsAvailable;
        this.plaintextAuthAllowed = plaintextAuthAllowed;
    }

    List<String> advertise(List<String> upstreamLines) {
        UpstreamCapabilities upstream = new UpstreamCapabilities(upstreamLines);
        List<String> advertised = new ArrayList<>();
        for (String line : upstreamLines) {
            String tag = UpstreamCapabilities.tagOf(line);
            if (RELAYED.contains(tag)) {
                advertised.add(line);
            } else if (tag.equals("USER")) {
                if (plaintextAuthAllowed) {
                    advertised.add(line);
                }
            } else if (tag.equals("SASL")) {
                List<String> mechanisms = upstream.relayableSaslMechanisms();
                if (plaintextAuthAllowed && !mechanisms.isEmpty()) {
                    advertised.add("SASL " + String.join(" ", mechanisms));
                }
            } else if (isRelayedExtension(tag)) {
                // Unknown extension: its commands are relayed in TRANSACTION with one-line replies.
                advertised.add(line);
            }
        }
        if (upstreamLines.isEmpty() && plaintextAuthAllowed) {
            advertised.add("USER");
        }
        if (stlsAvailable && state == Pop3State.AUTHORIZATION) {
            advertised.add("STLS");
        }
        advertised.add("PIPELINING");
        advertised.add("IMPLEMENTATION popbridge");
        return advertised;
    }
}

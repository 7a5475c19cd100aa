package org.popbridge.proxy.core.session;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The load balancers a listener takes the PROXY protocol from (HAProxy's PROXY protocol
 * specification, versions 1 and 2): on such a listener every connection must come from one of
 * these networks and begin with a PROXY header within {@code headerTimeout}.
 *
 * @param networks the networks allowed to connect and say where their clients are
 * @param headerTimeout how long a trusted peer may take to send its header
 */
public record TrustedProxies(List<CidrBlock> networks, Duration headerTimeout) {

    /** What a listener waits for the header unless told otherwise. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

    public TrustedProxies {
        networks = List.copyOf(networks);
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted network");
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("the header timeout must be more than zero");
        }
    }

    /** These networks, with the default header timeout. */
    public static TrustedProxies of(List<CidrBlock> networks) {
        return new TrustedProxies(networks, DEFAULT_HEADER_TIMEOUT);
    }

    /** The same networks, waiting {@code timeout} for the header (tests use a short one). */
    public TrustedProxies withHeaderTimeout(Duration timeout) {
        return new TrustedProxies(networks, timeout);
    }

    /** Whether a connection from {@code peer} may send a PROXY header. */
    public boolean trusts(InetAddress peer) {
        return networks.stream().anyMatch(network -> network.contains(peer));
    }

    @Override
    public String toString() {
        return networks.toString();
    }
}

package org.popbridge.proxy.pop3.session;

import io.netty.handler.ssl.SslHandler;
import org.popbridge.filters.TlsSummary;
import org.popbridge.proxy.core.tls.NegotiatedTls;
import org.popbridge.proxy.pop3.StatusLine;

/**
 * Where the client connection stands with TLS: plain, STLS asked for (RFC 2595 section 4),
 * handshaking after STLS or from the first byte (RFC 8314), or encrypted. While an implicit
 * handshake runs nothing may be written (an SNI handler would send it in clear), so the
 * greeting, or a closing -ERR, is held until it completes.
 */
final class ClientTlsState {

    /** The phases, in the order a connection goes through them. */
    enum Phase {
        PLAIN,
        /** STLS read but not yet handled: read no further, the next bytes may be a ClientHello. */
        STLS_REQUESTED,
        STLS_HANDSHAKE,
        IMPLICIT_HANDSHAKE,
        ESTABLISHED
    }

    private Phase phase;
    private StatusLine held;
    private String serverName;
    private TlsSummary summary = TlsSummary.NONE;

    ClientTlsState(boolean implicitTls) {
        this.phase = implicitTls ? Phase.IMPLICIT_HANDSHAKE : Phase.PLAIN;
    }

    /** Whether what the client sends is, or is about to be, encrypted (logins allowed, no STLS). */
    boolean encrypted() {
        return phase == Phase.ESTABLISHED || phase == Phase.IMPLICIT_HANDSHAKE;
    }

    /** Whether the client may be read from: not between reading STLS and starting the handshake. */
    boolean readable() {
        return phase != Phase.STLS_REQUESTED;
    }

    /** Whether writes must wait for the implicit handshake. */
    boolean holdingWrites() {
        return phase == Phase.IMPLICIT_HANDSHAKE;
    }

    boolean stlsHandshaking() {
        return phase == Phase.STLS_HANDSHAKE;
    }

    void stlsRequested() {
        if (phase == Phase.PLAIN) {
            phase = Phase.STLS_REQUESTED;
        }
    }

    /** The STLS was answered -ERR (wrong state, bad syntax): the connection stays plain. */
    void stlsRefused() {
        if (phase == Phase.STLS_REQUESTED) {
            phase = Phase.PLAIN;
        }
    }

    void stlsAccepted() {
        phase = Phase.STLS_HANDSHAKE;
    }

    /** The handshake on this handler (null if none is found) succeeded; returns the phase it completes. */
    Phase established(SslHandler handler) {
        if (handler != null) {
            summary = NegotiatedTls.of(handler);
        }
        Phase completed = phase;
        phase = Phase.ESTABLISHED;
        return completed;
    }

    /** Keeps a line to write once the implicit handshake is done; the last one wins. */
    void hold(StatusLine line) {
        held = line;
    }

    /** The held line, or null; it is released. */
    StatusLine takeHeld() {
        StatusLine line = held;
        held = null;
        return line;
    }

    void serverName(String name) {
        serverName = name;
    }

    /** The SNI name the client asked for, or null. */
    String serverName() {
        return serverName;
    }

    /** The TLS the client got, for the audit log; none while in clear. */
    TlsSummary summary() {
        return summary;
    }
}

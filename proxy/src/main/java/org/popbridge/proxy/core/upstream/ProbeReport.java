package org.popbridge.proxy.core.upstream;

import java.util.Optional;

/**
 * What one visit to an upstream found: the problem, or what the server showed of itself.
 *
 * @param url the upstream as the config names it
 * @param problem what is wrong, null if the server answered every step
 * @param tls the TLS the link got, null for a plain upstream or a failed one
 */
public record ProbeReport(String url, UpstreamProblem problem, PeerTls tls) {

    public static ProbeReport ok(UpstreamEndpoint at, Optional<PeerTls> tls) {
        return new ProbeReport(at.url(), null, tls.orElse(null));
    }

    public static ProbeReport failed(UpstreamEndpoint at, UpstreamProblem problem) {
        return new ProbeReport(at.url(), problem, null);
    }

    public boolean ok() {
        return problem == null;
    }

    /** "ok (TLSv1.3, certificate for ... valid until ...)", "ok (plain, not encrypted)", or the problem's sentence. */
    public String describe() {
        if (problem != null) {
            return problem.sentence();
        }
        return "ok (" + (tls == null ? "plain, not encrypted" : tls.describe()) + ")";
    }
}

package org.popbridge.proxy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.PemFiles;
import org.popbridge.certs.ServerCredentials;
import org.popbridge.proxy.config.ConfigFileLines;
import org.popbridge.proxy.config.ConfigProblem;
import org.popbridge.proxy.config.MissingServer;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.RouteConfig;
import org.popbridge.proxy.config.SniCertificateConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.tls.CertificateFiles;
import org.popbridge.proxy.core.tls.KeyPassword;

/**
 * What a start finds wrong with a config that loaded: the checks applied after the command line
 * (a server the listeners need), and those a start makes only when it opens files (the served
 * certificates and keys, SNI ones included, and the upstreams' {@code ca:} bundles) or wires the
 * routes (APOP with routes by user). Every problem is collected, each at its line in the file.
 */
final class StartChecks {

    private final PopbridgeConfig config;
    private final ConfigFileLines lines;
    private final Instant now;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private StartChecks(PopbridgeConfig config, ConfigFileLines lines, Instant now) {
        this.config = config;
        this.lines = lines;
        this.now = now;
    }

    /** Every problem a start with {@code config}, loaded from the file {@code lines} describes, would meet. */
    static List<ConfigProblem> of(PopbridgeConfig config, ConfigFileLines lines, Instant now) {
        StartChecks checks = new StartChecks(config, lines, now);
        checks.servers();
        checks.apop();
        checks.servedCertificates();
        checks.trustedCas();
        // In file order, as an editor walks them; problems with no line (defaults) first.
        return checks.problems.stream().sorted(java.util.Comparator.comparingInt(ConfigProblem::line)).toList();
    }

    private void servers() {
        for (MissingServer missing : MissingServer.of(config)) {
            problems.add(missing.in(lines, config));
        }
    }

    /** As ProxyServer refuses it: APOP needs the server's greeting before the user, and so the route, is known. */
    private void apop() {
        boolean byUser = config.upstreamRoutes().stream().anyMatch(route -> !route.isDefault());
        if (config.upstream() != null && config.upstream().apop() && byUser) {
            problems.add(lines.problem(List.of("upstream", "apop"), "APOP needs the server's greeting before the "
                    + "user is known, which routes by user cannot give; remove apop: true or the routes"));
        }
    }

    private void servedCertificates() {
        TlsConfig tls = config.tls();
        if (tls.configured()) {
            served(List.of("tls"), tls.cert(), tls.key(), tls.keyPassword());
        } else {
            selfSigned();
        }
        for (int i = 0; i < tls.sni().size(); i++) {
            SniCertificateConfig entry = tls.sni().get(i);
            served(List.of("tls", "sni", i), entry.cert(), entry.key(), entry.keyPassword());
        }
    }

    /** Loads the pair as a start does (key matching the certificate, password applied), then its dates. */
    private void served(List<Object> at, Path cert, Path key, KeyPassword password) {
        ServerCredentials credentials;
        try {
            credentials = new CertificateFiles(cert, key, password, true).load();
        } catch (CertificateLoadException e) {
            problems.add(lines.problem(append(at, "cert"), e.getMessage()));
            return;
        }
        X509Certificate leaf = credentials.leaf();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            problems.add(lines.problem(append(at, "cert"), cert + " expired on " + leaf.getNotAfter().toInstant()
                    + ": clients refuse it; replace the certificate"));
        } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
            problems.add(lines.problem(append(at, "cert"), cert + " is not valid before "
                    + leaf.getNotBefore().toInstant() + ": clients refuse it until then (or this machine's clock is wrong)"));
        }
    }

    /** Without tls.cert a start generates a certificate into the state directory, so it must be able to write there. */
    private void selfSigned() {
        Path dir = config.stateDir().toAbsolutePath();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            problems.add(lines.problem(List.of("state-dir"), "no tls.cert is given, so popbridge generates a self-signed "
                    + "certificate in " + config.stateDir() + " at start, and "
                    + (existing == null || !Files.isDirectory(existing) ? existing + " is not a directory"
                            : existing + " is not writable")
                    + "; give tls.cert and tls.key, or a state-dir popbridge may write to"));
        }
    }

    private void trustedCas() {
        if (config.upstream() != null) {
            ca(List.of("upstream"), config.upstream());
        }
        if (config.submission() != null) {
            ca(List.of("submission"), config.submission().server());
        }
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig route = config.routes().get(i);
            if (route.hasUpstream()) {
                ca(List.of("routes", i, "upstream"), route.upstream());
            }
            if (route.hasSubmission()) {
                ca(List.of("routes", i, "submission"), route.submission().server());
            }
        }
    }

    private void ca(List<Object> at, UpstreamConfig server) {
        if (server.ca() == null) {
            return;
        }
        try {
            PemFiles.loadCertificates(server.ca());
        } catch (CertificateLoadException e) {
            problems.add(lines.problem(append(at, "ca"), e.getMessage()));
        }
    }

    private static List<Object> append(List<Object> path, Object segment) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(segment);
        return longer;
    }
}

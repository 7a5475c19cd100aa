package org.popbridge.proxy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.Durations;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.TlsConfig;
import org.popbridge.proxy.config.UpstreamConfig;
import org.popbridge.proxy.core.tls.KeyPassword;
import picocli.CommandLine.Option;

/** The options that configure a running proxy; each one overrides the config file's setting. */
final class RunOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Option(names = "--listen", paramLabel = "URL",
            description = "Listener, repeatable: pop3://HOST:PORT (plain, offers STLS) or pop3s://HOST:PORT "
                    + "(implicit TLS). Default: pop3://127.0.0.1:1110 and pop3s://127.0.0.1:1995.")
    List<String> listen = new ArrayList<>();

    @Option(names = "--upstream", paramLabel = "URL",
            description = "Mail server: pop3://, pop3+stls:// (STLS required), pop3s:// (implicit TLS), or the same "
                    + "for IMAP: imap://, imap+starttls://, imaps://. It takes the users no route in the config file takes.")
    String upstream;

    @Option(names = "--upstream-ca", paramLabel = "FILE",
            description = "PEM bundle trusted for the upstream in addition to the system trust store.")
    Path upstreamCa;

    @Option(names = "--upstream-insecure",
            description = "Do not verify the upstream certificate or host name (test rigs only; logged at every start).")
    boolean upstreamInsecure;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM certificate chain served to clients.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key of --cert.")
    Path key;

    @Option(names = "--key-password-env", paramLabel = "VARIABLE",
            description = "Environment variable holding the password of an encrypted --key (or PKCS#12 --cert).")
    String keyPasswordEnv;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where popbridge keeps state such as its generated certificate. Default: ./popbridge-state.")
    Path stateDir;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION",
            description = "How long running sessions may go on after SIGTERM, e.g. 30s. Default: 30s.")
    String shutdownGrace;

    /** The config file (if any) with the command-line settings laid over it. */
    PopbridgeConfig resolve() throws ConfigException {
        return resolveOver(config == null ? PopbridgeConfig.defaults() : new ConfigLoader().load(config));
    }

    /** {@code base} with the command-line settings laid over it (the demo's base is its built-in config). */
    PopbridgeConfig resolveOver(PopbridgeConfig base) throws ConfigException {
        PopbridgeConfig resolved = base;
        try {
            if (!listen.isEmpty()) {
                resolved = resolved.withListen(listen.stream().map(url -> flag("--listen", () -> ListenerConfig.parse(url))).toList());
            }
            if (upstream != null) {
                UpstreamConfig fromFile = resolved.upstream();
                UpstreamConfig target = fromFile == null
                        ? flag("--upstream", () -> UpstreamConfig.parse(upstream))
                        : flag("--upstream", () -> fromFile.withUrl(upstream));
                PopbridgeConfig before = resolved;
                resolved = flag("--upstream", () -> before.withUpstream(target));
            }
            if (upstreamCa != null) {
                resolved = resolved.withUpstream(topLevel(resolved, "--upstream-ca", "ca").withCa(upstreamCa));
            }
            if (upstreamInsecure) {
                resolved = resolved.withUpstream(topLevel(resolved, "--upstream-insecure", "insecure").withInsecure(true));
            }
            if (cert != null || key != null) {
                TlsConfig fromFile = resolved.tls();
                resolved = resolved.withTls(flag("--cert/--key", () -> fromFile.withDefaultCertificate(cert, key)));
            }
            if (keyPasswordEnv != null) {
                TlsConfig current = resolved.tls();
                resolved = resolved.withTls(flag("--key-password-env", () -> current.withKeyPassword(
                        new KeyPassword(null, keyPasswordEnv))));
            }
            if (stateDir != null) {
                resolved = resolved.withStateDir(stateDir);
            }
            if (shutdownGrace != null) {
                resolved = resolved.withShutdownGrace(flag("--shutdown-grace", () -> Durations.parse(shutdownGrace)));
            }
        } catch (FlagException e) {
            throw new ConfigException(e.getMessage());
        }
        if (resolved.upstream() == null && resolved.routes().isEmpty()) {
            throw new ConfigException("no upstream: give --upstream URL"
                    + (config == null ? "" : " or upstream.url in " + config));
        }
        return resolved;
    }

    /**
     * The top-level upstream an --upstream-* flag changes. Without one, a config that has routes
     * is refused rather than the flag ignored: the routes' upstreams may need it just as much.
     */
    private UpstreamConfig topLevel(PopbridgeConfig resolved, String name, String key) {
        if (resolved.upstream() == null && !resolved.routes().isEmpty()) {
            throw new FlagException(name + ": applies to the top-level upstream, and " + config
                    + " has only routes; set " + key + ": in each route's upstream instead");
        }
        if (resolved.upstream() == null) {
            throw new FlagException("no upstream: give --upstream URL"
                    + (config == null ? "" : " or upstream.url in " + config));
        }
        return resolved.upstream();
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T flag(String name, Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new FlagException(name + ": " + e.getMessage());
        }
    }

    private static final class FlagException extends RuntimeException {
        FlagException(String message) {
            super(message);
        }
    }
}

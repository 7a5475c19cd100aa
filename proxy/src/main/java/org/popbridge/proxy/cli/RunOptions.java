package org.popbridge.proxy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.Durations;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.LogFormat;
import org.popbridge.proxy.config.LogLevel;
import org.popbridge.proxy.config.LoggingConfig;
import org.popbridge.proxy.config.MissingServer;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.config.RouteConfig;
import org.popbridge.proxy.config.SubmissionConfig;
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
                    + "(implicit TLS) to read mail; smtp://HOST:PORT (submission, offers STARTTLS, port 587) or "
                    + "smtps://HOST:PORT (implicit TLS, port 465) to send it. "
                    + "Default: pop3://127.0.0.1:1110 and pop3s://127.0.0.1:1995.")
    List<String> listen = new ArrayList<>();

    @Option(names = "--upstream", paramLabel = "URL",
            description = "Mail server: pop3://, pop3+stls:// (STLS required), pop3s:// (implicit TLS), or the same "
                    + "for IMAP: imap://, imap+starttls://, imaps://. It takes the users no route in the config file takes. "
                    + "Needed when popbridge listens for POP3.")
    String upstream;

    @Option(names = "--submission", paramLabel = "URL",
            description = "SMTP submission server mail from smtp:// and smtps:// listeners is sent through: "
                    + "smtp+starttls:// (STARTTLS required, port 587), smtps:// (implicit TLS, port 465) or smtp:// "
                    + "(plain, port 587). It takes the users no route in the config file takes.")
    String submission;

    @Option(names = "--upstream-ca", paramLabel = "FILE",
            description = "PEM bundle trusted for the upstream and the submission server in addition to the system "
                    + "trust store.")
    Path upstreamCa;

    @Option(names = "--upstream-insecure",
            description = "Do not verify the certificate or host name of the upstream and the submission server "
                    + "(test rigs only; logged at every start).")
    boolean upstreamInsecure;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM certificate chain served to clients.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key of --cert.")
    Path key;

    @Option(names = "--key-password-env", paramLabel = "VARIABLE",
            description = "Environment variable holding the password of an encrypted --key (or PKCS#12 --cert).")
    String keyPasswordEnv;

    @Option(names = "--tls-engine", paramLabel = "ENGINE",
            description = "TLS implementation of modern listeners and of the connections to mail servers: auto "
                    + "(OpenSSL where netty-tcnative loads, else the JDK's), openssl or jdk. Legacy listeners keep "
                    + "BouncyCastle's JSSE. Default: tls.engine in the config file, else auto.")
    String tlsEngine;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where popbridge keeps state such as its generated certificate. Default: ./popbridge-state.")
    Path stateDir;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION",
            description = "How long running sessions may go on after SIGTERM, e.g. 30s. Default: 30s.")
    String shutdownGrace;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "error, warn, info, debug (every command, secrets masked) or trace. "
                    + "Default: logging.level in the config file, else POPBRIDGE_LOG_LEVEL, else info.")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (the default) or json: one JSON object a line, with the session, client, user, "
                    + "listener and route as fields.")
    String logFormat;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Write the log to FILE instead of standard output, rolled over daily and at "
                    + "logging.max-file-size (default 100MB), kept logging.max-history days (default 14).")
    Path logFile;

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
            if (submission != null) {
                SubmissionConfig fromFile = resolved.submission();
                SubmissionConfig target = fromFile == null
                        ? flag("--submission", () -> SubmissionConfig.parse(submission))
                        : flag("--submission", () -> fromFile.withUrl(submission));
                PopbridgeConfig before = resolved;
                resolved = flag("--submission", () -> before.withSubmission(target));
            }
            if (upstreamCa != null) {
                resolved = topLevel(resolved, "--upstream-ca", "ca", u -> u.withCa(upstreamCa), s -> s.withCa(upstreamCa));
            }
            if (upstreamInsecure) {
                resolved = topLevel(resolved, "--upstream-insecure", "insecure",
                        u -> u.withInsecure(true), s -> s.withInsecure(true));
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
            if (tlsEngine != null) {
                TlsConfig current = resolved.tls();
                resolved = resolved.withTls(flag("--tls-engine", () -> current.withEngine(TlsConfig.engine(tlsEngine))));
            }
            if (stateDir != null) {
                resolved = resolved.withStateDir(stateDir);
            }
            if (shutdownGrace != null) {
                resolved = resolved.withShutdownGrace(flag("--shutdown-grace", () -> Durations.parse(shutdownGrace)));
            }
            resolved = resolved.withLogging(logging(resolved.logging()));
        } catch (FlagException e) {
            throw new ConfigException(e.getMessage());
        }
        // An SMTP-only proxy needs no upstream, a POP3-only one no submission server.
        List<MissingServer> missing = MissingServer.of(resolved);
        if (!missing.isEmpty()) {
            throw new ConfigException(missing.get(0) == MissingServer.UPSTREAM ? noUpstream() : noSubmission());
        }
        return resolved;
    }

    /** The file's logging settings with the --log-* flags laid over them. */
    private LoggingConfig logging(LoggingConfig fromFile) {
        LoggingConfig logging = fromFile;
        if (logLevel != null) {
            logging = logging.withLevel(flag("--log-level", () -> LogLevel.parse(logLevel)));
        }
        if (logFormat != null) {
            logging = logging.withFormat(flag("--log-format", () -> LogFormat.parse(logFormat)));
        }
        if (logFile != null) {
            logging = logging.withFile(logFile);
        }
        return logging;
    }

    private String noUpstream() {
        return "no upstream: give --upstream URL" + (config == null ? "" : " or upstream.url in " + config);
    }

    private String noSubmission() {
        return "no submission server for the SMTP listeners: give --submission URL"
                + (config == null ? "" : " or submission.url in " + config);
    }

    /**
     * {@code resolved} with an --upstream-* flag applied to the top-level servers: the upstream
     * and the submission server, whichever there are. Without either, a config that has routes
     * is refused rather than the flag ignored: the routes' servers may need it just as much.
     */
    private PopbridgeConfig topLevel(PopbridgeConfig resolved, String name, String key,
                                     UnaryOperator<UpstreamConfig> onUpstream,
                                     UnaryOperator<SubmissionConfig> onSubmission) {
        if (resolved.upstream() == null && resolved.submission() == null) {
            if (!resolved.routes().isEmpty()) {
                boolean sends = resolved.routes().stream().anyMatch(RouteConfig::hasSubmission);
                throw new FlagException(name + ": applies to the top-level upstream"
                        + (sends ? " and submission server" : "") + ", and " + config + " has only routes; set " + key
                        + ": in each route's upstream" + (sends ? " and submission" : "") + " instead");
            }
            throw new FlagException(resolved.readsMail() || !resolved.sendsMail() ? noUpstream() : noSubmission());
        }
        PopbridgeConfig changed = resolved;
        if (changed.upstream() != null) {
            changed = changed.withUpstream(onUpstream.apply(changed.upstream()));
        }
        if (changed.submission() != null) {
            changed = changed.withSubmission(onSubmission.apply(changed.submission()));
        }
        return changed;
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

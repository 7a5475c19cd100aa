package org.popbridge.proxy.cli;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.popbridge.proxy.cli.logging.LogSetup;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.LoggingConfig;
import org.popbridge.proxy.core.upstream.Enrolment;
import org.popbridge.proxy.server.OAuthLogins;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.server.ProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Starts the proxy and runs it until SIGTERM or SIGINT, after which it stops in order and the
 * process exits 0; on SIGHUP it reads its configuration again and reloads (nginx's and
 * Dovecot's signals). The pid file in the state directory is how `popbridge reload` finds it.
 */
final class ProxyRunner {

    private static final Logger log = LoggerFactory.getLogger(ProxyRunner.class);

    /** Where the settings come from, again at each reload: the file and the command line. */
    interface ConfigSource {
        PopbridgeConfig read() throws ConfigException;
    }

    private ProxyRunner() {
    }

    static int runUntilStopped(PopbridgeConfig config, ConfigSource source, Path configFile) throws InterruptedException {
        return runUntilStopped(config, source, configFile, () -> { });
    }

    /**
     * @param source what a reload reads; null where there is nothing to read again (the demo's
     *     built-in settings), and SIGHUP is then logged and ignored
     * @param configFile the file the settings were read from, for the command the log gives to
     *     enrol a user again (auth: oauth2); null if none
     * @param onStop runs after the proxy has stopped (the demo stops its sample server there)
     */
    static int runUntilStopped(PopbridgeConfig config, ConfigSource source, Path configFile, Runnable onStop)
            throws InterruptedException {
        ProxyServer server;
        // auth: oauth2 servers log users in with the tokens `popbridge oauth login` stored here.
        OAuthLogins oauth = OAuthLogins.inStateDir(config.stateDir());
        try {
            LogSetup.apply(config.logging());
            server = ProxyServer.start(config, ProxyServer.UpstreamCheck.AFTER_BINDING, oauth,
                    configFile == null ? Enrolment.UNKNOWN_FILE : new Enrolment(configFile.toString()));
        } catch (ConfigException e) {
            oauth.close();
            onStop.run();
            return ExitCodes.configError(e);
        }
        PidFile pidFile = PidFile.write(config.stateDir());
        ReloadStatus status = new ReloadStatus(config.stateDir());
        CountDownLatch stop = new CountDownLatch(1);
        // One reload at a time, in the order the signals came, off the signal dispatcher thread.
        ExecutorService reloads = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "popbridge-reload");
            thread.setDaemon(true);
            return thread;
        });
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        SignalHandler before = Signal.handle(new Signal("HUP"), signal -> reloads.execute(() -> reload(server, source,
                status, config.logging())));
        if (before == SignalHandler.SIG_IGN) {
            // The JVM installs no handler for a SIGHUP its parent ignored: the reload would never come.
            log.warn("SIGHUP is ignored in this process, as under nohup: neither `popbridge reload` nor kill -HUP "
                    + "can reload it; start popbridge without nohup (systemd, a container, or setsid) to reload it");
        }
        log.info("running as pid {}: SIGHUP or `popbridge reload --state-dir {}` reloads, SIGTERM stops",
                ProcessHandle.current().pid(), config.stateDir());
        stop.await();
        log.info("stopping: no new connections, grace period {} s", server.config().shutdownGrace().toSeconds());
        reloads.shutdownNow();
        try {
            server.shutdown(server.config().shutdownGrace());
        } finally {
            onStop.run();
            oauth.close();
            pidFile.remove();
            log.info("stopped");
        }
        return ExitCodes.OK;
    }

    private static void reload(ProxyServer server, ConfigSource source, ReloadStatus status, LoggingConfig logging) {
        if (source == null) {
            log.warn("SIGHUP: these settings are built in and cannot be read again; nothing reloaded");
            status.refused("these settings are built in and cannot be read again");
            return;
        }
        log.info("SIGHUP: reading the configuration again");
        try {
            PopbridgeConfig next = source.read();
            if (!next.stateDir().toAbsolutePath().equals(server.config().stateDir().toAbsolutePath())) {
                throw new ConfigException("state-dir: changed from " + server.config().stateDir() + " to "
                        + next.stateDir() + "; the state directory changes only with a restart");
            }
            server.reload(next);
            if (!next.logging().equals(logging)) {
                // Logback's appenders are swapped only before the listeners open: a reload that
                // swapped them could lose the lines written meanwhile.
                log.warn("logging: changed in the file; the log level, format and file change only with a restart");
            }
            status.reloaded();
        } catch (ConfigException e) {
            log.error("reload refused, the running settings stay in force: {}", e.getMessage());
            status.refused(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("reload failed, the running settings stay in force", e);
            status.refused(e.toString());
        }
    }
}

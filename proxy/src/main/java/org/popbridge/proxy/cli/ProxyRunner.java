package org.popbridge.proxy.cli;

import java.util.concurrent.CountDownLatch;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.server.ProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the proxy and keeps it running until the JVM is asked to stop (SIGTERM, SIGINT). */
final class ProxyRunner {

    private static final Logger log = LoggerFactory.getLogger(ProxyRunner.class);

    private ProxyRunner() {
    }

    static int runUntilStopped(PopbridgeConfig config) throws InterruptedException {
        return runUntilStopped(config, () -> { });
    }

    /** {@code onStop} runs after the proxy has stopped (the demo stops its sample server there). */
    static int runUntilStopped(PopbridgeConfig config, Runnable onStop) throws InterruptedException {
        ProxyServer server;
        try {
            LogSetup.apply(config.logging());
            server = ProxyServer.start(config);
        } catch (ConfigException e) {
            onStop.run();
            return ExitCodes.configError(e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: no new connections, grace period {} s", config.shutdownGrace().toSeconds());
            try {
                server.shutdown(config.shutdownGrace());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                onStop.run();
                log.info("stopped");
                stopped.countDown();
            }
        }, "popbridge-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}

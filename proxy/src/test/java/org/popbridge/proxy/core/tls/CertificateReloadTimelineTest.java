package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.certs.ServerCredentials;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.TestCertificates;

/**
 * A replaced certificate is served within one {@code reload-interval}: the poll timeline is
 * driven by hand through the scheduler ListenerTlsService is given, one poll per step, and the
 * time a step stands for is the period the service asked for. No test here sleeps.
 */
class CertificateReloadTimelineTest {

    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Records the periodic tasks instead of running them: the test runs a poll when it says so. */
    private static final class ManualScheduler extends ScheduledThreadPoolExecutor {
        record Periodic(Runnable task, long periodMillis) {
        }

        final List<Periodic> withFixedDelay = new ArrayList<>();

        ManualScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
            withFixedDelay.add(new Periodic(task, unit.toMillis(delay)));
            return null;
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
            return null;
        }
    }

    @Test
    void aPairReplacedJustAfterAPollIsServedWithinOneInterval() throws Exception {
        TestCertificates pki = TestCertificates.newCa();
        ServerCredentials original = pki.issue("mail.example.test");
        Path[] files = TestCertificates.write(dir, "server", original);
        ServedCertificates served = new ServedCertificates(List.of(new ServedCertificate(List.of(),
                new CertificateFiles(files[0], files[1], true), original)));
        ManualScheduler scheduler = new ManualScheduler();

        try (LogCapture reloads = LogCapture.of(CertificateReload.class);
                ListenerTlsService tls = ListenerTlsService.start(served,
                        List.of(ListenerConfig.parse("pop3s://127.0.0.1:0").tls().offer(TlsEngine.JDK)), Duration.ofSeconds(5),
                        RELOAD_INTERVAL, Clock.systemUTC(), scheduler)) {
            assertThat(scheduler.withFixedDelay).hasSize(1);
            ManualScheduler.Periodic poll = scheduler.withFixedDelay.get(0);

            // The first polls after start confirm the files in service; nothing is reloaded.
            poll.task().run();
            poll.task().run();
            assertThat(reloads.events()).isEmpty();

            // Replaced right after a poll: the worst case, a whole period before the change is seen.
            TestCertificates.write(dir, "server", pki.issue("mail.example.test"));
            int polls = 0;
            while (reloads.events().isEmpty() && polls < 10) {
                poll.task().run();
                polls++;
            }

            assertThat(reloads.events()).singleElement()
                    .satisfies(event -> assertThat(event.getFormattedMessage()).startsWith("reloaded certificate"));
            assertThat(Duration.ofMillis(polls * poll.periodMillis()))
                    .as("served after %d polls %d ms apart", polls, poll.periodMillis())
                    .isLessThanOrEqualTo(RELOAD_INTERVAL);
            assertThat(polls).as("the cert and key must look the same on two polls: still taken together")
                    .isEqualTo(2);
        }
    }
}

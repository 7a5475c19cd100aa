package org.popbridge.proxy.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.popbridge.certs.ServerCredentials;
import org.popbridge.proxy.testing.LogCapture;
import org.popbridge.proxy.testing.TestCertificates;

/** Served certificates near or past expiry are logged, and their days left recorded, on a fixed clock. */
class CertificateExpiryCheckTest {

    private static final Instant NOT_BEFORE = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2030-04-01T00:00:00Z");

    private final CertificateExpiryRegistry registry = new CertificateExpiryRegistry();
    private LogCapture log;
    private ServedCertificate served;

    @BeforeEach
    void issue() throws Exception {
        log = LogCapture.of(CertificateExpiryCheck.class);
        ServerCredentials credentials = TestCertificates.newCa().issue(NOT_BEFORE, NOT_AFTER, "mail.example.test");
        served = new ServedCertificate(List.of(), new CertificateFiles(Path.of("/etc/popbridge/server.crt"),
                Path.of("/etc/popbridge/server.key"), true), credentials);
    }

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void moreThanThirtyDaysLeftIsQuiet() {
        check(NOT_AFTER.minus(Duration.ofDays(45)));

        assertThat(log.events()).isEmpty();
        assertThat(registry.snapshot()).containsExactly(java.util.Map.entry("/etc/popbridge/server.crt", 45L));
    }

    @Test
    void withinThirtyDaysIsAWarning() {
        check(NOT_AFTER.minus(Duration.ofDays(12)).minus(Duration.ofHours(3)));

        assertThat(only().getLevel()).isEqualTo(Level.WARN);
        assertThat(only().getFormattedMessage()).isEqualTo("served certificate /etc/popbridge/server.crt "
                + "(CN=mail.example.test, default) expires in 12 day(s), on 2030-04-01T00:00:00Z; replace the files before then");
        assertThat(registry.daysLeft("/etc/popbridge/server.crt")).hasValue(12);
    }

    @Test
    void expiredIsAnError() {
        check(NOT_AFTER.plus(Duration.ofDays(3)));

        assertThat(only().getLevel()).isEqualTo(Level.ERROR);
        assertThat(only().getFormattedMessage()).contains("EXPIRED on 2030-04-01T00:00:00Z");
        assertThat(registry.daysLeft("/etc/popbridge/server.crt")).hasValue(-3);
    }

    @Test
    void notYetValidIsAWarning() {
        check(NOT_BEFORE.minus(Duration.ofDays(2)));

        assertThat(only().getLevel()).isEqualTo(Level.WARN);
        assertThat(only().getFormattedMessage()).contains("is not valid before 2030-01-01T00:00:00Z");
    }

    private void check(Instant now) {
        new CertificateExpiryCheck(Clock.fixed(now, ZoneOffset.UTC), registry).check(new ServedCertificates(List.of(served)));
    }

    private ILoggingEvent only() {
        assertThat(log.events()).hasSize(1);
        return log.events().get(0);
    }
}

package org.popbridge.proxy.core.tls;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS popbridge serves to clients: each listener's contexts, swapped when certificate
 * files are replaced, and the daily expiry check. Reload and check run on one scheduler
 * thread of their own, never on an event loop that serves sessions.
 */
public final class ListenerTlsService implements AutoCloseable {

    static final Duration EXPIRY_CHECK_INTERVAL = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(ListenerTlsService.class);

    private final List<ReloadableListenerTls> listeners = new ArrayList<>();
    private final AtomicReference<ServedCertificates> served = new AtomicReference<>();
    private final CertificateExpiryRegistry expiryRegistry = new CertificateExpiryRegistry();
    private final ScheduledExecutorService scheduler;

    private ListenerTlsService(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Builds every listener's contexts and starts watching the files.
     *
     * @param offers one per listener, in listener order
     * @throws SSLException if a context cannot be built, or legacy TLS is asked for and unavailable
     */
    public static ListenerTlsService start(ServedCertificates certificates, List<TlsOffer> offers, Duration handshakeTimeout,
                                  Duration reloadInterval, Clock clock) throws SSLException {
        return start(certificates, offers, handshakeTimeout, reloadInterval, clock,
                Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "popbridge-tls");
                    thread.setDaemon(true);
                    return thread;
                }));
    }

    /** As {@link #start(ServedCertificates, List, Duration, Duration, Clock)}, polling on {@code scheduler}: a test's seam. */
    static ListenerTlsService start(ServedCertificates certificates, List<TlsOffer> offers, Duration handshakeTimeout,
                                    Duration reloadInterval, Clock clock, ScheduledExecutorService scheduler)
            throws SSLException {
        ListenerTlsService tls = new ListenerTlsService(scheduler);
        try {
            tls.begin(certificates, offers, handshakeTimeout, reloadInterval, clock);
            return tls;
        } catch (SSLException | RuntimeException e) {
            tls.close();
            throw e;
        }
    }

    private void begin(ServedCertificates certificates, List<TlsOffer> offers, Duration handshakeTimeout,
                       Duration reloadInterval, Clock clock) throws SSLException {
        if (offers.stream().anyMatch(offer -> offer.profile() == TlsProfile.LEGACY) && !LegacyJsse.allowsTls10()) {
            throw new SSLException("profile legacy is unavailable: BouncyCastle JSSE was initialised with the JVM's "
                    + "jdk.tls.disabledAlgorithms before popbridge could give it its own (is BCJSSE registered in "
                    + "java.security?); see docs/LEGACY-TLS.md");
        }
        for (TlsOffer offer : offers) {
            listeners.add(new ReloadableListenerTls(offer, handshakeTimeout));
        }
        install(certificates);
        CertificateExpiryCheck expiry = new CertificateExpiryCheck(clock, expiryRegistry);
        expiry.check(certificates);
        scheduler.scheduleAtFixedRate(guarded("expiry check", () -> expiry.check(served.get())),
                EXPIRY_CHECK_INTERVAL.toMillis(), EXPIRY_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        CertificateReload reload = new CertificateReload(certificates, served::get, this::install, expiry);
        if (reload.watchesAnything()) {
            long poll = CertificateReload.pollPeriod(reloadInterval).toMillis();
            scheduler.scheduleWithFixedDelay(guarded("certificate reload", reload), poll, poll, TimeUnit.MILLISECONDS);
            log.info("checking certificate files for replacement every {} ms (a replaced pair is served within {} ms)",
                    poll, reloadInterval.toMillis());
        }
    }

    /** Builds all listeners' contexts first, so that either all of them change or none. */
    private void install(ServedCertificates next) throws SSLException {
        List<ListenerTlsContexts> built = new ArrayList<>();
        for (ReloadableListenerTls listener : listeners) {
            built.add(listener.build(next));
        }
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).install(built.get(i));
        }
        served.set(next);
    }

    /** The TLS of the listener at {@code index} in the order the offers were given. */
    public ListenerTls listener(int index) {
        return listeners.get(index);
    }

    /** Days left per served certificate, for the metrics endpoint. */
    public CertificateExpiryRegistry expiryRegistry() {
        return expiryRegistry;
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // An exception would cancel the schedule; log it and run again next time.
                log.error("{} failed: {}", what, e.toString(), e);
            }
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

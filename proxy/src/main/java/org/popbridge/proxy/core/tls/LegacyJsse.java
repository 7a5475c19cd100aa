package org.popbridge.proxy.core.tls;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.popbridge.certs.ServerCredentials;

/**
 * BouncyCastle's JSSE provider with its own view of {@code jdk.tls.disabledAlgorithms}: TLS 1.0,
 * TLS 1.1 and 3DES allowed, everything else the JVM forbids still forbidden.
 *
 * <p>Both SunJSSE and BCJSSE read that security property once, when their constraint classes
 * initialise, and neither lets an engine loosen it later ({@code SSLParameters.setAlgorithmConstraints}
 * only narrows). So the JDK's provider is initialised first with the JVM's value, then the
 * property is loosened just while BCJSSE initialises, then restored. The JDK's TLS keeps
 * refusing TLS 1.0/1.1 for the whole JVM; this provider is never registered globally and only
 * legacy listeners use it, with explicit protocol and cipher lists. {@link #allowsTls10()}
 * checks the result, because it depends on nobody having initialised BCJSSE before.
 */
public final class LegacyJsse {

    static final String DISABLED_ALGORITHMS = "jdk.tls.disabledAlgorithms";
    /** What the legacy profile needs that the JVM disables; the rest of the JVM's list stays in force. */
    static final Set<String> ALLOWED_FOR_LEGACY = Set.of("TLSv1", "TLSv1.1", "3DES_EDE_CBC");
    /** JDK 17's value, for a JVM whose java.security sets none (the property cannot be put back to "unset"). */
    private static final String JDK_DEFAULT = "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, "
            + "DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH";

    /** The in-memory key store never leaves this class; it needs some password. */
    private static final char[] KEY_STORE_PASSWORD = "popbridge".toCharArray();

    // JUL loggers are weakly held: keep them so the levels set here stay set.
    private static final List<java.util.logging.Logger> QUIETED = List.of(
            // INFO is one line per connection and alert; WARNING (internal errors) still shows.
            quiet("org.bouncycastle.jsse", java.util.logging.Level.WARNING),
            // It warns once about jdk.certpath entries it cannot parse; BCJSSE never checks client certificates here.
            quiet("org.bouncycastle.jsse.provider.DisabledAlgorithmConstraints", java.util.logging.Level.SEVERE));

    private LegacyJsse() {
    }

    /** The provider; the first call initialises it as described above. */
    public static Provider provider() {
        return Holder.PROVIDER;
    }

    /** A fresh, initialised SSLContext of the provider, with no keys (for listing what it supports). */
    static SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS", provider());
            context.init(null, null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("BouncyCastle JSSE cannot make a TLS context", e);
        }
    }

    /** Key managers of the provider's own kind, holding {@code credentials}. */
    static KeyManagerFactory keyManagers(ServerCredentials credentials) throws SSLException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("served", credentials.key(), KEY_STORE_PASSWORD, credentials.chainArray());
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX", provider());
            factory.init(store, KEY_STORE_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new SSLException("BouncyCastle JSSE cannot use the certificate: " + e.getMessage(), e);
        }
    }

    /** Whether the provider will really speak TLS 1.0: it starts a TLS 1.0-only handshake in memory. */
    static boolean allowsTls10() {
        try {
            SSLEngine client = context().createSSLEngine("legacy-probe.invalid", 995);
            client.setUseClientMode(true);
            client.setEnabledProtocols(new String[] {"TLSv1"});
            client.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"});
            ByteBuffer hello = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
            client.beginHandshake();
            client.wrap(ByteBuffer.allocate(0), hello);
            client.closeOutbound();
            return hello.position() > 0;
        } catch (Exception e) {
            // "No usable protocols enabled": BCJSSE was initialised with the JVM's constraints.
            return false;
        }
    }

    /** The JVM's list without the entries the legacy profile needs. */
    static String loosened(String disabled) {
        return Arrays.stream(disabled.split(","))
                .map(String::strip)
                .filter(entry -> !entry.isEmpty() && !ALLOWED_FOR_LEGACY.contains(entry))
                .collect(Collectors.joining(", "));
    }

    private static java.util.logging.Logger quiet(String name, java.util.logging.Level level) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(level);
        return logger;
    }

    private static final class Holder {

        static final Provider PROVIDER = create();

        private static Provider create() {
            // Let the JDK's provider read the strict value first: it keeps it for the JVM's lifetime.
            TlsEngine.jdkContext().createSSLEngine();
            String strict = Security.getProperty(DISABLED_ALGORITHMS);
            if (strict == null) {
                strict = JDK_DEFAULT;
            }
            Security.setProperty(DISABLED_ALGORITHMS, loosened(strict));
            try {
                // BouncyCastle's own crypto (not registered globally): on the JDK's crypto providers
                // BCJSSE found no usable RSA credentials (it asks for algorithm names they lack).
                Provider provider = new BouncyCastleJsseProvider(new BouncyCastleProvider());
                SSLContext context = SSLContext.getInstance("TLS", provider);
                context.init(null, null, new SecureRandom());
                // An engine's parameters pull in BCJSSE's constraint classes, which read the property now.
                context.createSSLEngine().getSSLParameters();
                return provider;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("BouncyCastle JSSE cannot make a TLS context", e);
            } finally {
                Security.setProperty(DISABLED_ALGORITHMS, strict);
            }
        }
    }
}

package org.popbridge.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalCaTest {

    /** Certificates hold whole seconds; a whole-second "now" makes their dates comparable exactly. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    static Path sharedState;
    private static LocalCa ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void initSharedCa() throws Exception {
        ca = LocalCa.init(sharedState, "mailhost", NOW);
    }

    @Test
    void initWritesCertificateAndOwnerOnlyKeyInAnOwnerOnlyDirectory() throws Exception {
        Path caDir = sharedState.resolve("ca");

        assertThat(Files.readString(caDir.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(caDir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(ca.certFile()).isEqualTo(caDir.resolve("ca.crt"));
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve("ca.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caDir.resolve("ca.crt"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void caIsAnRsa3072CaValidForTenYearsThatSignsOnlyCertificatesAndCrls() throws Exception {
        X509Certificate cert = ca.certificate();

        assertThat(cert.getSubjectX500Principal().getName())
                .isEqualTo("CN=popbridge local CA mailhost " + NOW.atOffset(ZoneOffset.UTC).toLocalDate());
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getBasicConstraints()).isZero();
        // keyUsage bits: 5 keyCertSign, 6 cRLSign, nothing else.
        assertThat(cert.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.atOffset(ZoneOffset.UTC).plusYears(10).toInstant());
        assertThat(cert.getNotBefore().toInstant()).isBefore(NOW);
        assertThatCode(() -> cert.verify(cert.getPublicKey())).doesNotThrowAnyException();
    }

    @Test
    void secondInitRefusesAndLeavesTheCaAlone() throws Exception {
        Path caDir = sharedState.resolve("ca");
        byte[] keyBefore = Files.readAllBytes(caDir.resolve("ca.key"));
        byte[] certBefore = Files.readAllBytes(caDir.resolve("ca.crt"));

        assertThatThrownBy(() -> LocalCa.init(sharedState))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("A local CA already exists in " + caDir)
                .hasMessageContaining("remove " + caDir + " by hand");
        assertThat(Files.readAllBytes(caDir.resolve("ca.key"))).isEqualTo(keyBefore);
        assertThat(Files.readAllBytes(caDir.resolve("ca.crt"))).isEqualTo(certBefore);
    }

    @Test
    void initRefusesWhenALeftoverKeyIsThere() throws Exception {
        Files.createDirectories(dir.resolve("ca"));
        Files.writeString(dir.resolve("ca/ca.key"), "leftover");

        assertThatThrownBy(() -> LocalCa.init(dir))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readString(dir.resolve("ca/ca.key"))).isEqualTo("leftover");
    }

    @Test
    void loadReturnsTheCaThatInitCreated() throws Exception {
        LocalCa loaded = LocalCa.load(sharedState);

        assertThat(loaded.certificate()).isEqualTo(ca.certificate());
    }

    @Test
    void loadWithoutInitSaysToRunInit() {
        assertThatThrownBy(() -> LocalCa.load(dir))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessage("There is no local CA in " + dir.resolve("ca") + ": run 'popbridge certs init' first");
    }

    @Test
    void issueWithoutInitSaysToRunInit() {
        assertThatThrownBy(() -> LocalCa.load(dir).issue(List.of("mail.example.test"), List.of(),
                LocalCa.DEFAULT_VALIDITY, dir.resolve("out")))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("run 'popbridge certs init' first");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void loadOfAnIncompleteCaNamesTheMissingFile() throws Exception {
        Files.createDirectories(dir.resolve("ca"));
        Files.copy(sharedState.resolve("ca/ca.crt"), dir.resolve("ca/ca.crt"));

        assertThatThrownBy(() -> LocalCa.load(dir))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("is incomplete: " + dir.resolve("ca/ca.key") + " is missing");
    }

    @Test
    void issuedCertificateIsAnRsa2048ServerCertificateForExactlyTheGivenNames() throws Exception {
        IssuedCertificate issued = ca.issue(List.of("mail.example.test", "pop.example.test"),
                List.of("192.0.2.10", "2001:db8::25"), LocalCa.DEFAULT_VALIDITY, dir, NOW);
        X509Certificate leaf = issued.credentials().leaf();

        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=mail.example.test");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(SubjectAltNames.dnsNames(leaf)).containsExactly("mail.example.test", "pop.example.test");
        assertThat(addresses(SubjectAltNames.ipAddresses(leaf)))
                .containsExactly(InetAddress.getByName("192.0.2.10"), InetAddress.getByName("2001:db8::25"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        // keyUsage bits: 0 digitalSignature, 2 keyEncipherment (RSA key exchange of old TLS clients).
        assertThat(leaf.getKeyUsage()).containsExactly(true, false, true, false, false, false, false, false, false);
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(825)));
        assertThat(issued.credentials().chain()).containsExactly(leaf, ca.certificate());
    }

    @Test
    void issueWritesChainAndOwnerOnlyKeyNamedAfterTheFirstName() throws Exception {
        IssuedCertificate issued = ca.issue(List.of("mail.example.test"), List.of("192.0.2.10"),
                LocalCa.DEFAULT_VALIDITY, dir.resolve("out/nested"));

        assertThat(issued.certFile()).isEqualTo(dir.resolve("out/nested/mail.example.test.crt"));
        assertThat(issued.keyFile()).isEqualTo(dir.resolve("out/nested/mail.example.test.key"));
        assertThat(PemFiles.loadCertificates(issued.certFile())).containsExactly(issued.credentials().leaf(),
                ca.certificate());
        assertThat(PemFiles.loadCredentials(issued.certFile(), issued.keyFile()).sha256Fingerprint())
                .isEqualTo(issued.credentials().sha256Fingerprint());
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(issued.keyFile())))
                .isEqualTo("rw-------");
    }

    @Test
    void issuedCertificatePassesPkixValidationWithTheCaFileAsTheOnlyAnchor() throws Exception {
        IssuedCertificate issued = ca.issue(List.of("mail.example.test"), List.of(), LocalCa.DEFAULT_VALIDITY, dir);
        X509Certificate anchor = PemFiles.loadCertificates(LocalCa.load(sharedState).certFile()).get(0);

        assertThatCode(() -> validate(issued.credentials().leaf(), anchor)).doesNotThrowAnyException();
        assertThatThrownBy(() -> validate(issued.credentials().leaf(),
                TestPki.ca(TestPki.rsaKeys(), "popbridge local CA mailhost")))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void issuedCertificateIsTrustedByATrustManagerWithTheCaAsExtra() throws Exception {
        IssuedCertificate issued = ca.issue(List.of("mail.example.test"), List.of(), LocalCa.DEFAULT_VALIDITY, dir);
        X509TrustManager trust = Arrays.stream(TrustStores.systemPlus(List.of(ca.certificate())).getTrustManagers())
                .filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast).findFirst().orElseThrow();

        assertThatCode(() -> trust.checkServerTrusted(issued.credentials().chainArray(), "ECDHE_RSA"))
                .doesNotThrowAnyException();
    }

    @Test
    void issueRefusesToOverwriteAnEarlierCertificate() throws Exception {
        IssuedCertificate first = ca.issue(List.of("mail.example.test"), List.of(), LocalCa.DEFAULT_VALIDITY, dir);
        String certBefore = Files.readString(first.certFile());

        assertThatThrownBy(() -> ca.issue(List.of("mail.example.test", "other.example.test"), List.of(),
                LocalCa.DEFAULT_VALIDITY, dir))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(first.certFile() + " already exists")
                .hasMessageContaining("does not overwrite");
        assertThat(Files.readString(first.certFile())).isEqualTo(certBefore);
    }

    @Test
    void issueRefusesWhenOnlyTheKeyFileIsInTheWay() throws Exception {
        Files.writeString(dir.resolve("mail.example.test.key"), "someone else's key");

        assertThatThrownBy(() -> ca.issue(List.of("mail.example.test"), List.of(), LocalCa.DEFAULT_VALIDITY, dir))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining(dir.resolve("mail.example.test.key") + " already exists");
        assertThat(dir.resolve("mail.example.test.crt")).doesNotExist();
    }

    @Test
    void issueNeedsANameOrAnAddress() {
        assertThatThrownBy(() -> ca.issue(List.of(), List.of(), LocalCa.DEFAULT_VALIDITY, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one DNS name or IP address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail_host.example", "-mail.example", "mail..example", "exa mple.test", "mail.*.test",
            "a234567890123456789012345678901234567890123456789012345678901234.test"})
    void invalidDnsNamesAreRefusedByName(String name) {
        assertThatThrownBy(() -> ca.issue(List.of(name), List.of(), LocalCa.DEFAULT_VALIDITY, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("not a valid DNS name");
    }

    @Test
    void addressGivenAsDnsNameIsRefusedWithAHint() {
        assertThatThrownBy(() -> ca.issue(List.of("192.0.2.10"), List.of(), LocalCa.DEFAULT_VALIDITY, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'192.0.2.10' is an IP address, not a DNS name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"300.1.1.1", "192.0.2", "mail.example.test", "fe80::1%eth0", "192.0.2.0/24"})
    void invalidIpAddressesAreRefusedByName(String address) {
        assertThatThrownBy(() -> ca.issue(List.of("mail.example.test"), List.of(address), LocalCa.DEFAULT_VALIDITY,
                dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + address + "' is not a valid IPv4 or IPv6 address");
        assertThat(dir.resolve("mail.example.test.crt")).doesNotExist();
    }

    @Test
    void internationalNameIsWrittenInPunycode() throws Exception {
        IssuedCertificate issued = ca.issue(List.of("Bücher.Example"), List.of(), LocalCa.DEFAULT_VALIDITY, dir);

        assertThat(SubjectAltNames.dnsNames(issued.credentials().leaf())).containsExactly("xn--bcher-kva.example");
        assertThat(issued.certFile().getFileName()).hasToString("xn--bcher-kva.example.crt");
    }

    @Test
    void wildcardAndAddressOnlyCertificatesGetPlainFileNames() throws Exception {
        IssuedCertificate wildcard = ca.issue(List.of("*.example.test"), List.of(), LocalCa.DEFAULT_VALIDITY, dir);
        IssuedCertificate addressOnly = ca.issue(List.of(), List.of("2001:db8::1"), LocalCa.DEFAULT_VALIDITY, dir);

        assertThat(wildcard.certFile().getFileName()).hasToString("wildcard.example.test.crt");
        assertThat(SubjectAltNames.dnsNames(wildcard.credentials().leaf())).containsExactly("*.example.test");
        assertThat(addressOnly.certFile().getFileName()).hasToString("2001_db8__1.crt");
        assertThat(addressOnly.credentials().leaf().getSubjectX500Principal().getName()).isEqualTo("CN=2001:db8::1");
    }

    @Test
    void validityIsTheOneRequested() throws Exception {
        IssuedCertificate issued = ca.issue(List.of("short.example.test"), List.of(), Duration.ofDays(90), dir, NOW);

        assertThat(issued.credentials().leaf().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(90)));
    }

    @Test
    void validityBeyondTheCaIsCutToTheCaEnd() throws Exception {
        IssuedCertificate issued = ca.issue(List.of("long.example.test"), List.of(), Duration.ofDays(20 * 365),
                dir, NOW);

        assertThat(issued.credentials().leaf().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void validityMustBePositive(long days) {
        assertThatThrownBy(() -> ca.issue(List.of("mail.example.test"), List.of(), Duration.ofDays(days), dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }

    @Test
    void expiredCaRefusesToIssue() throws Exception {
        LocalCa old = LocalCa.init(dir, "oldhost", NOW.minus(Duration.ofDays(11 * 366)));

        assertThatThrownBy(() -> old.issue(List.of("mail.example.test"), List.of(), LocalCa.DEFAULT_VALIDITY,
                dir.resolve("out")))
                .isInstanceOf(CertificateLoadException.class)
                .hasMessageContaining("expired on")
                .hasMessageContaining("popbridge certs init");
    }

    @Test
    void opensslVerifiesTheIssuedCertificateForServerUse() throws Exception {
        IssuedCertificate issued = ca.issue(List.of("mail.example.test"), List.of("192.0.2.10"),
                LocalCa.DEFAULT_VALIDITY, dir);
        PemFiles.writeCertificates(dir.resolve("leaf.crt"), List.of(issued.credentials().leaf()));

        String verify = OpensslCommand.run(dir, "verify", "-CAfile", ca.certFile().toString(), "-purpose", "sslserver",
                "-verify_hostname", "mail.example.test", "-verify_ip", "192.0.2.10", "leaf.crt");
        String caText = OpensslCommand.run(dir, "x509", "-in", ca.certFile().toString(), "-noout", "-text");

        assertThat(verify).contains("leaf.crt: OK");
        assertThat(caText).contains("CA:TRUE, pathlen:0", "Certificate Sign, CRL Sign");
    }

    private static void validate(X509Certificate leaf, X509Certificate anchor) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    private static List<InetAddress> addresses(List<String> literals) throws Exception {
        List<InetAddress> addresses = new ArrayList<>();
        for (String literal : literals) {
            addresses.add(InetAddress.getByName(literal));
        }
        return addresses;
    }
}

package org.popbridge.certs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate authority kept in popbridge's state directory, for sites without a public CA: clients are given
 * its ca.crt once and then trust every server certificate it issues.
 */
public final class LocalCa {

    /** The CA's directory inside the state directory; mode 0700. */
    public static final String DIRECTORY = "ca";
    /** File name of the CA certificate, the file clients must trust. */
    public static final String CERT_FILE = "ca.crt";
    /** File name of the CA's private key; mode 0600. */
    public static final String KEY_FILE = "ca.key";
    /** 825 days: the longest server certificate lifetime Apple clients accept from any CA. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(825);

    private static final Logger LOG = LoggerFactory.getLogger(LocalCa.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final ServerCredentials credentials;

    private LocalCa(Path directory, ServerCredentials credentials) {
        this.directory = directory;
        this.credentials = credentials;
    }

    /** Creates a new CA in stateDir/ca (RSA 3072, ten years); refuses if one exists there, even partly. */
    public static LocalCa init(Path stateDir) throws CertificateLoadException {
        return init(stateDir, localHostName(), Instant.now());
    }

    /** {@link #init(Path)} with the host name for the CA's name and the current time given. */
    static LocalCa init(Path stateDir, String hostName, Instant now) throws CertificateLoadException {
        Path directory = stateDir.resolve(DIRECTORY);
        Path certFile = directory.resolve(CERT_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        if (Files.exists(certFile) || Files.exists(keyFile)) {
            throw alreadyExists(directory);
        }
        String commonName = "popbridge local CA " + hostName + " " + now.atOffset(ZoneOffset.UTC).toLocalDate();
        ServerCredentials ca = LocalCaCertificates.ca(commonName, now);
        try {
            createOwnerOnlyDirectory(directory);
            writeNewPair(ca, certFile, keyFile);
        } catch (FileAlreadyExistsException e) {
            // Another init ran at the same moment and won; its CA stays.
            throw alreadyExists(directory);
        } catch (IOException e) {
            throw new CertificateLoadException("Cannot create the local CA in " + directory + ": " + e, e);
        }
        return new LocalCa(directory, ca);
    }

    /** Loads the CA that {@link #init} created in stateDir/ca. */
    public static LocalCa load(Path stateDir) throws CertificateLoadException {
        Path directory = stateDir.resolve(DIRECTORY);
        Path certFile = directory.resolve(CERT_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        boolean certExists = Files.exists(certFile);
        boolean keyExists = Files.exists(keyFile);
        if (!certExists && !keyExists) {
            throw new CertificateLoadException("There is no local CA in " + directory
                    + ": run 'popbridge certs init' first");
        }
        if (!certExists || !keyExists) {
            throw new CertificateLoadException("The local CA in " + directory + " is incomplete: "
                    + (certExists ? keyFile : certFile) + " is missing. Restore it from a backup, or remove "
                    + directory + " and run 'popbridge certs init' (clients must then trust the new "
                    + CERT_FILE + ")");
        }
        ServerCredentials ca = PemFiles.loadCredentials(certFile, keyFile);
        if (ca.leaf().getBasicConstraints() < 0) {
            throw new CertificateLoadException(certFile + " is not a CA certificate (it lacks basicConstraints"
                    + " CA:true), so it cannot issue server certificates");
        }
        return new LocalCa(directory, ca);
    }

    /**
     * Issues an RSA 2048 server certificate for the names (the first is CN and file name); writes NAME.crt, NAME.key.
     *
     * @throws IllegalArgumentException if a name or address is invalid, none is given, or validity is not positive
     * @throws CertificateLoadException if the CA has expired, or a file exists or cannot be written
     */
    public IssuedCertificate issue(List<String> dnsNames, List<String> ipAddresses, Duration validity,
            Path outputDir) throws CertificateLoadException {
        return issue(dnsNames, ipAddresses, validity, outputDir, Instant.now());
    }

    /** {@link #issue(List, List, Duration, Path)} at a given time. */
    IssuedCertificate issue(List<String> dnsNames, List<String> ipAddresses, Duration validity, Path outputDir,
            Instant now) throws CertificateLoadException {
        GeneralNames names = SubjectAltNames.forServer(dnsNames, ipAddresses);
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("the validity of a server certificate must be positive, not "
                    + validity);
        }
        String firstName = dnsNames.isEmpty()
                ? SubjectAltNames.validIpAddress(ipAddresses.get(0))
                : SubjectAltNames.validDnsName(dnsNames.get(0));
        if (firstName.length() > LocalCaCertificates.MAX_COMMON_NAME_LENGTH) {
            throw new IllegalArgumentException("the first name, '" + firstName + "', is longer than "
                    + LocalCaCertificates.MAX_COMMON_NAME_LENGTH + " characters and cannot be the certificate's"
                    + " common name; list a shorter name first");
        }
        Instant notAfter = notAfter(now, validity);
        Path certFile = outputDir.resolve(fileName(firstName) + ".crt");
        Path keyFile = outputDir.resolve(fileName(firstName) + ".key");
        for (Path file : List.of(certFile, keyFile)) {
            if (Files.exists(file)) {
                throw alreadyIssued(file);
            }
        }
        ServerCredentials server = LocalCaCertificates.server(credentials, names, firstName, now, notAfter);
        try {
            Files.createDirectories(outputDir);
            writeNewPair(server, certFile, keyFile);
        } catch (FileAlreadyExistsException e) {
            throw alreadyIssued(e.getFile() == null ? certFile : Path.of(e.getFile()));
        } catch (IOException e) {
            throw new CertificateLoadException("Cannot write the issued certificate to " + outputDir + ": " + e, e);
        }
        return new IssuedCertificate(certFile, keyFile, server);
    }

    /** The CA certificate, which clients must trust. */
    public X509Certificate certificate() {
        return credentials.leaf();
    }

    /** Where the CA certificate is, to tell operators which file to install on clients. */
    public Path certFile() {
        return directory.resolve(CERT_FILE);
    }

    private Instant notAfter(Instant now, Duration validity) throws CertificateLoadException {
        CertificateValidity caValidity = CertificateValidity.of(certificate(), now);
        if (caValidity.expired()) {
            throw new CertificateLoadException("The local CA in " + directory + " expired on "
                    + caValidity.notAfter() + "; it cannot issue certificates. Remove " + directory
                    + ", run 'popbridge certs init' and give clients the new " + CERT_FILE);
        }
        if (validity.compareTo(DEFAULT_VALIDITY) > 0) {
            LOG.warn("Issuing a server certificate valid for {} days; Apple clients reject server certificates valid"
                    + " for more than {} days", validity.toDays(), DEFAULT_VALIDITY.toDays());
        }
        Instant requested = now.plus(validity);
        if (requested.isAfter(caValidity.notAfter())) {
            LOG.warn("The local CA in {} expires on {}; the server certificate ends then too instead of after {}"
                    + " days", directory, caValidity.notAfter(), validity.toDays());
            return caValidity.notAfter();
        }
        return requested;
    }

    /** Key first: a certificate without its key is useless, a key without certificate is harmless and reported. */
    private static void writeNewPair(ServerCredentials pair, Path certFile, Path keyFile) throws IOException {
        PemFileWriter.writeNew(keyFile, PemText.privateKey(pair.key()), PemFileWriter.OWNER_ONLY);
        try {
            PemFileWriter.writeNew(certFile, PemText.certificates(pair.chain()), PemFileWriter.PUBLIC);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(keyFile);
            throw e;
        }
    }

    private static void createOwnerOnlyDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
        }
    }

    /** Wildcards and IPv6 colons would make awkward file names; "*.example.org" becomes "wildcard.example.org". */
    private static String fileName(String firstName) {
        return firstName.replace("*", "wildcard").replace(':', '_');
    }

    private static CertificateLoadException alreadyExists(Path directory) {
        return new CertificateLoadException("A local CA already exists in " + directory + "; popbridge never"
                + " overwrites it, because clients that trust its " + CERT_FILE + " would reject everything a new CA"
                + " issues. To start over, remove " + directory + " by hand and run 'popbridge certs init' again");
    }

    private static CertificateLoadException alreadyIssued(Path file) {
        return new CertificateLoadException(file + " already exists; popbridge does not overwrite issued"
                + " certificates or keys: remove it by hand or choose another output directory");
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

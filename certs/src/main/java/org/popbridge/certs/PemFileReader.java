package org.popbridge.certs;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reads every PEM block of a file into BouncyCastle objects; I/O and syntax problems become operator messages. */
final class PemFileReader {

    /** First byte of a DER SEQUENCE: what a binary certificate or key file starts with. */
    private static final byte DER_SEQUENCE = 0x30;

    private PemFileReader() {
    }

    /** Parses all PEM blocks in {@code file}; {@code role} ("Certificate file", ...) starts every message. */
    static List<Object> read(Path file, String role) throws CertificateLoadException {
        byte[] bytes = readBytes(file, role);
        List<Object> objects = new ArrayList<>();
        // ISO-8859-1 maps every byte, so a stray binary file reaches the PEM checks instead of a charset error.
        try (PEMParser parser = new PEMParser(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle's parse messages describe structure only, never the encoded bytes.
            throw new CertificateLoadException(role + " " + file + " is not readable PEM: " + e.getMessage(), e);
        }
        if (objects.isEmpty() && bytes.length > 0 && bytes[0] == DER_SEQUENCE) {
            throw new CertificateLoadException(role + " " + file
                    + " is binary DER, but PEM text is needed (convert it with openssl's -outform PEM)");
        }
        return objects;
    }

    /** Says what a file held instead of what was wanted, for "contains no ..." messages. */
    static String describe(List<Object> objects) {
        if (objects.isEmpty()) {
            return "the file holds no PEM block";
        }
        return "found: " + objects.stream().map(PemFileReader::kind).distinct().collect(Collectors.joining(", "));
    }

    private static String kind(Object o) {
        if (o instanceof X509CertificateHolder || o instanceof X509TrustedCertificateBlock) {
            return "certificate";
        }
        if (o instanceof PrivateKeyInfo || o instanceof PEMKeyPair) {
            return "private key";
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            return "encrypted private key";
        }
        if (o instanceof SubjectPublicKeyInfo) {
            return "public key";
        }
        if (o instanceof PKCS10CertificationRequest) {
            return "certificate request";
        }
        if (o instanceof X509CRLHolder) {
            return "CRL";
        }
        return o.getClass().getSimpleName();
    }

    private static byte[] readBytes(Path file, String role) throws CertificateLoadException {
        if (Files.isDirectory(file)) {
            throw new CertificateLoadException(role + " " + file + " is a directory, not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CertificateLoadException(role + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new CertificateLoadException(role + " " + file + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new CertificateLoadException(role + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}

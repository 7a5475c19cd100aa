package org.popbridge.proxy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.popbridge.certs.CertificateDescription;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.KeyPasswords;
import org.popbridge.certs.LocalCa;
import org.popbridge.certs.SelfSignedCertificate;
import org.popbridge.proxy.config.PopbridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code popbridge certs show [FILE...]}: subject, names, validity and fingerprints. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print subject, SANs, validity and SHA-256 fingerprints of certificates. "
                + "Without FILE: the certificates in the state directory.")
final class CertsShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "PEM certificate (or chain) files.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Default: ./popbridge-state.")
    Path stateDir = PopbridgeConfig.DEFAULT_STATE_DIR;

    @Option(names = "--password-env", paramLabel = "VARIABLE",
            description = "Environment variable holding the password of a PKCS#12 (.p12, .pfx) file.")
    String passwordEnv;

    @Override
    public Integer call() {
        List<Path> shown = files.isEmpty() ? inStateDir() : files;
        if (shown.isEmpty()) {
            return ExitCodes.usage("no certificates in " + stateDir
                    + " (popbridge creates one at first start; 'popbridge certs init' creates a CA)");
        }
        int status = ExitCodes.OK;
        for (Path file : shown) {
            try {
                System.out.println("== " + file);
                char[] password = KeyPasswords.resolve(null, passwordEnv);
                System.out.println(CertificateDescription.ofFile(file, password));
            } catch (CertificateLoadException e) {
                // The worst outcome wins: a runtime failure (1) is not hidden by a bad file (2) after it.
                int failed = ExitCodes.certificateError(e);
                status = status == ExitCodes.FAILURE ? status : failed;
            }
        }
        return status;
    }

    private List<Path> inStateDir() {
        List<Path> found = new ArrayList<>();
        for (Path candidate : List.of(stateDir.resolve(SelfSignedCertificate.CERT_FILE), stateDir.resolve(LocalCa.DIRECTORY).resolve(LocalCa.CERT_FILE))) {
            if (Files.isRegularFile(candidate)) {
                found.add(candidate);
            }
        }
        return found;
    }
}

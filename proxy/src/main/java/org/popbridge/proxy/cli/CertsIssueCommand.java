package org.popbridge.proxy.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.IssuedCertificate;
import org.popbridge.certs.LocalCa;
import org.popbridge.proxy.config.PopbridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code popbridge certs issue}: a server certificate from the local CA, for the names clients connect to. */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = "Issue a server certificate from the local CA for the given host names and addresses.")
final class CertsIssueCommand implements Callable<Integer> {

    @Option(names = "--name", paramLabel = "HOST", description = "A DNS name clients use; repeatable.")
    List<String> names = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "An IP address clients use; repeatable.")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--days", paramLabel = "N", description = "Validity in days. Default: 825.")
    int days = (int) LocalCa.DEFAULT_VALIDITY.toDays();

    @Option(names = "--out", paramLabel = "DIR", description = "Where the .crt and .key go. Default: the state directory.")
    Path out;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Default: ./popbridge-state.")
    Path stateDir = PopbridgeConfig.DEFAULT_STATE_DIR;

    @Override
    public Integer call() {
        if (names.isEmpty() && addresses.isEmpty()) {
            return ExitCodes.usage("give at least one --name or --ip");
        }
        if (days < 1) {
            return ExitCodes.usage("--days must be at least 1");
        }
        try {
            IssuedCertificate issued = LocalCa.load(stateDir)
                    .issue(names, addresses, Duration.ofDays(days), out == null ? stateDir : out);
            System.out.println("Issued " + issued.certFile() + " (chain: server certificate, then the CA)");
            System.out.println("   key " + issued.keyFile());
            System.out.println("Serve it with --cert " + issued.certFile() + " --key " + issued.keyFile()
                    + ", or in the config file:");
            System.out.println("tls:");
            System.out.println("  cert: " + issued.certFile());
            System.out.println("  key: " + issued.keyFile());
            return ExitCodes.OK;
        } catch (CertificateLoadException e) {
            return ExitCodes.certificateError(e);
        } catch (IllegalArgumentException e) {
            // A --name or --ip that is not a host name or address.
            return ExitCodes.usage(e.getMessage());
        }
    }
}

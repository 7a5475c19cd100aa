package org.popbridge.proxy.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.popbridge.certs.CertificateDescription;
import org.popbridge.certs.CertificateLoadException;
import org.popbridge.certs.LocalCa;
import org.popbridge.proxy.config.PopbridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code popbridge certs init}: creates the local CA in the state directory. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a local CA (STATE_DIR/ca/ca.crt and ca.key, the key readable only by its owner).")
final class CertsInitCommand implements Callable<Integer> {

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Default: ./popbridge-state.")
    Path stateDir = PopbridgeConfig.DEFAULT_STATE_DIR;

    @Override
    public Integer call() {
        try {
            LocalCa ca = LocalCa.init(stateDir);
            System.out.println("Created the local CA " + ca.certFile());
            System.out.println(CertificateDescription.of(ca.certificate()));
            System.out.println("Install " + ca.certFile() + " as a trusted root on every client (see the README),");
            // The hint must work as printed: the CA is found only in the state directory it was created in.
            String stateDirFlag = stateDir.equals(PopbridgeConfig.DEFAULT_STATE_DIR) ? "" : " --state-dir " + stateDir;
            System.out.println("then issue the server certificate: popbridge certs issue" + stateDirFlag
                    + " --name HOST [--ip ADDRESS]");
            return ExitCodes.OK;
        } catch (CertificateLoadException e) {
            return ExitCodes.certificateError(e);
        }
    }
}

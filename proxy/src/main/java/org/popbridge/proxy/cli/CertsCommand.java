package org.popbridge.proxy.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code popbridge certs ...}: the local CA and the certificates popbridge serves. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Create a local CA, issue server certificates from it, and show certificates.",
        subcommands = {CertsInitCommand.class, CertsIssueCommand.class, CertsShowCommand.class})
final class CertsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "give a subcommand: init, issue or show");
    }
}

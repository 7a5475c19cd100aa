package org.popbridge.proxy.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code popbridge oauth ...}: the users whose upstream login is an OAuth2 token ({@code auth: oauth2}). */
@Command(name = "oauth", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.CONFIG_ERROR,
        description = "Enrol, list and revoke the users of auth: oauth2 servers.",
        subcommands = {OAuthLoginCommand.class, OAuthListCommand.class, OAuthRevokeCommand.class})
final class OAuthCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "give a subcommand: login, list or revoke");
    }
}

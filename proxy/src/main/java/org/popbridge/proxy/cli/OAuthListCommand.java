package org.popbridge.proxy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.popbridge.oauth.StoredUser;
import org.popbridge.oauth.TokenStore;
import org.popbridge.proxy.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code popbridge oauth list --config FILE}: who is enrolled, with which provider, and when; never a token. */
@Command(name = "list", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.CONFIG_ERROR,
        description = "List the enrolled users: user, provider, kind of grant, enrolled and updated times. "
                + "No token is shown.")
final class OAuthListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OAuthConfigOptions options = new OAuthConfigOptions();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path directory;
        try {
            directory = OAuthConfigOptions.tokenDirectory(options.load());
        } catch (ConfigException e) {
            err.println("popbridge: " + e.getMessage());
            return ExitCodes.CONFIG_ERROR;
        }
        try {
            // Listing must not create the store: a missing directory is an empty one.
            List<StoredUser> users = Files.isDirectory(directory) ? TokenStore.open(directory).list() : List.of();
            if (users.isEmpty()) {
                out.println("no users enrolled in " + directory);
            }
            for (StoredUser user : users) {
                out.println(user.user() + "  " + user.providerId() + "  " + kind(user) + "  enrolled "
                        + user.created() + "  updated " + user.updated());
            }
            out.flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("popbridge: the token store in " + directory + " could not be read: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }

    private static String kind(StoredUser user) {
        return user.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

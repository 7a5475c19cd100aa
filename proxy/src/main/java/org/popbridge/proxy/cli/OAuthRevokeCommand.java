package org.popbridge.proxy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.popbridge.oauth.OAuthClient;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.OAuthProvider;
import org.popbridge.oauth.StoreKey;
import org.popbridge.oauth.TokenStore;
import org.popbridge.oauth.UnlockedGrant;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.PopbridgeConfig;
import org.popbridge.proxy.server.OAuthProviders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code popbridge oauth revoke USER --config FILE}: deletes USER's token file, so the legacy
 * client's logins fail; with {@code --password-env} the refresh token is first revoked at the
 * provider too, where it has a revocation endpoint.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.CONFIG_ERROR,
        description = "Delete USER's stored grant. With --password-env, first unlock it and revoke the refresh token "
                + "at the provider (where it has a revocation endpoint). Exit 1 if USER is not enrolled or the "
                + "provider refused.")
final class OAuthRevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USER", description = "The login name the user was enrolled under.")
    String user;

    @Mixin
    OAuthConfigOptions options = new OAuthConfigOptions();

    @Option(names = "--password-env", paramLabel = "VARIABLE",
            description = "Environment variable holding USER's local password: unlocks the grant so its refresh "
                    + "token is revoked at the provider as well.")
    String passwordEnv;

    /** Seams for tests: the environment and the OAuth client. */
    UnaryOperator<String> environment = System::getenv;
    Supplier<OAuthClient> clients = () -> OAuthClient.create(OAuthClient.DEFAULT_TIMEOUT);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            UserNames.check("USER", user);
            PopbridgeConfig config = options.load();
            Path directory = OAuthConfigOptions.tokenDirectory(config);
            TokenStore store = Files.isDirectory(directory) ? TokenStore.open(directory) : null;
            if (store == null || !Files.exists(store.pathOf(user))) {
                err.println("popbridge: " + user + " is not enrolled (no token file in " + directory + ")");
                return ExitCodes.FAILURE;
            }
            int status = ExitCodes.OK;
            if (passwordEnv != null) {
                status = revokeAtProvider(config, store, LocalPasswords.fromEnvironment(passwordEnv, environment), out, err);
            }
            if (store.revoke(user)) {
                out.println("deleted the token file of " + user + "; its logins through popbridge now fail");
            } else {
                out.println(user + "'s token file was already gone");
            }
            out.flush();
            return status;
        } catch (BadInputException | ConfigException e) {
            err.println("popbridge: " + e.getMessage());
            return ExitCodes.CONFIG_ERROR;
        } catch (IOException e) {
            err.println("popbridge: the token store could not be changed: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }

    /**
     * Revokes the user's refresh token at the provider; OK, or FAILURE if the provider refused (the
     * local file is deleted all the same).
     *
     * @throws BadInputException if the password does not open the file or the user has no oauth2 route,
     *     so nothing is deleted and the admin can try again
     */
    private int revokeAtProvider(PopbridgeConfig config, TokenStore store, String password, PrintWriter out,
                                 PrintWriter err) throws BadInputException, ConfigException, IOException,
            InterruptedException {
        Optional<UnlockedGrant> unlocked = store.unlock(user, new StoreKey.LocalPassword(password));
        if (unlocked.isEmpty()) {
            throw new BadInputException("the password in " + passwordEnv + " does not open " + user
                    + "'s token file; nothing was revoked or deleted (without --password-env the file is only deleted)");
        }
        UnlockedGrant grant = unlocked.get();
        if (grant.refreshToken().isEmpty()) {
            out.println(user + " is a service account (client credentials): there is no refresh token to revoke");
            return ExitCodes.OK;
        }
        OAuthProvider provider = OAuthProviders.of(OAuthTarget.of(config, user).provider(), environment);
        if (!provider.id().equals(grant.providerId())) {
            out.println(user + " was enrolled with provider " + grant.providerId() + ", not the configured "
                    + provider.id() + ": the refresh token was not revoked at the provider");
            return ExitCodes.OK;
        }
        if (provider.revocationUrl().isEmpty()) {
            out.println("the " + provider.id() + " provider has no revocation endpoint: revoke " + grant.account()
                    + "'s sessions at the provider (Microsoft: in Entra ID, the user's Revoke sessions)");
            return ExitCodes.OK;
        }
        try {
            Await.of(clients.get().revoke(provider, grant.refreshToken().get()), EnrolmentFlow.EXCHANGE_LIMIT);
            out.println("revoked " + user + "'s refresh token at " + provider.revocationUrl().get());
            return ExitCodes.OK;
        } catch (OAuthException e) {
            err.println("popbridge: " + OAuthErrors.sentence("revocation at the provider", e));
            return ExitCodes.FAILURE;
        }
    }
}

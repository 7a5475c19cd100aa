package org.popbridge.proxy.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.popbridge.oauth.Enrolment;
import org.popbridge.oauth.OAuthClient;
import org.popbridge.oauth.OAuthException;
import org.popbridge.oauth.OAuthProvider;
import org.popbridge.oauth.StoreKey;
import org.popbridge.oauth.TokenStore;
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
 * {@code popbridge oauth login USER --config FILE}: signs USER in at the identity provider of the
 * {@code auth: oauth2} server USER is routed to and stores the grant in the state directory's
 * token store, sealed with the local password the legacy client will log in with.
 */
@Command(name = "login", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.CONFIG_ERROR,
        description = "Enrol USER: sign in at the identity provider of the auth: oauth2 server USER is routed to "
                + "(device flow by default) and store the grant under the local password the legacy client "
                + "will use. Exit 0 when enrolled, 2 on bad input, 1 if the provider refused.")
final class OAuthLoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USER", description = "The login name the legacy client types.")
    String user;

    @Mixin
    OAuthConfigOptions options = new OAuthConfigOptions();

    @Option(names = "--password-env", paramLabel = "VARIABLE",
            description = "Environment variable holding the local password. Default: asked twice on the terminal.")
    String passwordEnv;

    @Option(names = "--flow", paramLabel = "FLOW",
            description = "device (the default: a code to enter on another device), code (open a URL in a browser "
                    + "and paste the address it ends on; needs --redirect-uri) or service (client credentials, for "
                    + "a service account with app-only access).")
    String flow = "device";

    @Option(names = "--redirect-uri", paramLabel = "URI",
            description = "With --flow code: the redirect URI registered for the client, e.g. http://localhost.")
    String redirectUri;

    @Option(names = "--account", paramLabel = "NAME",
            description = "The account at the provider (the mailbox logged in to). Default: USER after the route's "
                    + "strip-domain or add-domain.")
    String account;

    /** Seams for tests: the environment, the terminal, standard input and the OAuth client. */
    UnaryOperator<String> environment = System::getenv;
    Supplier<Optional<LocalPasswords.Terminal>> terminal = LocalPasswords::console;
    Supplier<Reader> stdin = () -> new InputStreamReader(System.in, Charset.defaultCharset());
    Supplier<OAuthClient> clients = () -> OAuthClient.create(OAuthClient.DEFAULT_TIMEOUT);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            UserNames.check("USER", user);
            EnrolmentFlow chosen = flow(out);
            PopbridgeConfig config = options.load();
            OAuthTarget target = OAuthTarget.of(config, user);
            String upstreamAccount = account != null ? account : target.account();
            UserNames.check("--account", upstreamAccount);
            OAuthProvider provider = OAuthProviders.of(target.provider(), environment);
            String password = passwordEnv != null ? LocalPasswords.fromEnvironment(passwordEnv, environment)
                    : LocalPasswords.fromTerminal(terminal.get(), user);
            TokenStore store = TokenStore.open(OAuthConfigOptions.tokenDirectory(config));
            Enrolment enrolment = chosen.run(clients.get(), provider, upstreamAccount);
            store.enrol(user, new StoreKey.LocalPassword(password), enrolment);
            out.println("enrolled " + user + " (" + provider.id() + ", account " + upstreamAccount + ")");
            out.flush();
            return ExitCodes.OK;
        } catch (BadInputException e) {
            err.println("popbridge: " + e.getMessage());
            return ExitCodes.CONFIG_ERROR;
        } catch (ConfigException e) {
            err.println("popbridge: " + e.getMessage());
            return ExitCodes.CONFIG_ERROR;
        } catch (OAuthException e) {
            err.println("popbridge: " + OAuthErrors.sentence("sign-in", e));
            return ExitCodes.FAILURE;
        } catch (IOException e) {
            err.println("popbridge: the token store could not be written: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }

    private EnrolmentFlow flow(PrintWriter out) throws BadInputException {
        String chosen = flow.strip().toLowerCase(Locale.ROOT);
        if (!chosen.equals("code") && redirectUri != null) {
            throw new BadInputException("--redirect-uri goes with --flow code only");
        }
        return switch (chosen) {
            case "device" -> new DeviceFlow(out);
            case "service" -> new ServiceFlow(out);
            case "code" -> new CodeFlow(redirect(), out, stdin.get());
            default -> throw new BadInputException("--flow: '" + flow + "' is none of device, code, service");
        };
    }

    private URI redirect() throws BadInputException {
        if (redirectUri == null) {
            throw new BadInputException("--flow code needs --redirect-uri URI, the redirect URI registered for "
                    + "the client (e.g. http://localhost)");
        }
        try {
            URI uri = new URI(redirectUri.strip());
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new URISyntaxException(redirectUri, "not an absolute URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new BadInputException("--redirect-uri: '" + redirectUri + "' is not an absolute URL such as "
                    + "http://localhost");
        }
    }
}

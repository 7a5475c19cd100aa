package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.popbridge.oauth.Enrolment;
import org.popbridge.oauth.GrantKind;
import org.popbridge.oauth.StoreKey;
import org.popbridge.oauth.TokenStore;
import org.popbridge.oauth.UnlockedGrant;
import org.popbridge.oauth.testing.MutableClock;
import org.popbridge.oauth.testing.StandInIdentityProvider;
import picocli.CommandLine;

/**
 * {@code popbridge oauth login|list|revoke} against the stand-in identity provider: a config whose
 * route logs in with {@code auth: oauth2} and a generic provider at the stand-in, its client
 * secret from a variable the test's environment maps to the stand-in's secret.
 */
class OAuthCommandTest {

    private static final String USER = "alice@example.com";
    private static final String PASSWORD = "correct horse battery";
    /** Set wherever the tests run, as the config loader checks; the test environment maps it to the stand-in's secret. */
    private static final String SECRET_VARIABLE = "PATH";
    private static final Pattern USER_CODE = Pattern.compile("and enter the code (\\S+)");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private StandInIdentityProvider idp;
    private final Deque<char[]> typed = new ArrayDeque<>();
    private boolean hasTerminal = true;
    private String pasted = "";

    private record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        idp = StandInIdentityProvider.start(clock);
        idp.setPollInterval(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    // ---- login

    @Test
    void deviceFlowEnrolsAFileThatOnlyTheLocalPasswordOpens() throws Exception {
        Path config = config(oauthRoute());
        StringWriter out = new StringWriter();
        CompletableFuture<Run> login = CompletableFuture.supplyAsync(
                () -> run(out, "oauth", "login", USER, "--config", config.toString(), "--password-env", "LOCAL_PW"));

        String userCode = awaitUserCode(out, login);
        idp.approve(userCode, "alice");
        Run run = login.get(60, TimeUnit.SECONDS);

        assertThat(run.status()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("To sign in, open " + idp.baseUrl() + "/activate and enter the code " + userCode)
                .contains("enrolled " + USER + " (generic, account alice)");
        TokenStore store = TokenStore.open(tokens());
        Optional<UnlockedGrant> grant = store.unlock(USER, new StoreKey.LocalPassword(PASSWORD));
        assertThat(grant).isPresent();
        assertThat(grant.get().account()).isEqualTo("alice");
        assertThat(grant.get().kind()).isEqualTo(GrantKind.DELEGATED);
        assertThat(idp.isRefreshTokenValid(grant.get().refreshToken().orElseThrow())).isTrue();
        assertThat(run.out() + run.err()).doesNotContain(grant.get().refreshToken().get()).doesNotContain(PASSWORD)
                .doesNotContain(idp.clientSecret());
        assertThat(store.unlock(USER, new StoreKey.LocalPassword("another password"))).isEmpty();
    }

    @Test
    void passwordsTypedOnTheTerminalMayBeUsedAndTheAccountGiven() throws Exception {
        typed.add(PASSWORD.toCharArray());
        typed.add(PASSWORD.toCharArray());
        Path config = config(oauthRoute());
        StringWriter out = new StringWriter();
        CompletableFuture<Run> login = CompletableFuture.supplyAsync(
                () -> run(out, "oauth", "login", USER, "--config", config.toString(), "--account", "mailbox-7"));

        idp.approve(awaitUserCode(out, login), "mailbox-7");
        Run run = login.get(60, TimeUnit.SECONDS);

        assertThat(run.status()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("enrolled " + USER + " (generic, account mailbox-7)");
        assertThat(TokenStore.open(tokens()).unlock(USER, new StoreKey.LocalPassword(PASSWORD)).orElseThrow().account())
                .isEqualTo("mailbox-7");
    }

    @Test
    void passwordsThatDifferExit2AndEnrolNothing() throws Exception {
        typed.add(PASSWORD.toCharArray());
        typed.add("correct horse battery!".toCharArray());

        Run run = run(new StringWriter(), "oauth", "login", USER, "--config", config(oauthRoute()).toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("the two passwords differ");
        assertThat(idp.tokenRequests()).isZero();
        assertThat(Files.exists(TokenStore.open(tokens()).pathOf(USER))).isFalse();
    }

    @Test
    void withoutATerminalThePasswordMustComeFromTheEnvironment() throws Exception {
        hasTerminal = false;

        Run run = run(new StringWriter(), "oauth", "login", USER, "--config", config(oauthRoute()).toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--password-env");
    }

    @Test
    void anUnsetPasswordVariableExits2() throws Exception {
        Run run = run(new StringWriter(), "oauth", "login", USER, "--config", config(oauthRoute()).toString(),
                "--password-env", "POPBRIDGE_TEST_UNSET_PW_51C2");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("POPBRIDGE_TEST_UNSET_PW_51C2 is not set");
    }

    @Test
    void aUserNoOauth2ServerTakesExits2() throws Exception {
        Path config = config(oauthRoute());

        Run run = run(new StringWriter(), "oauth", "login", "bob@example.org", "--config", config.toString(),
                "--password-env", "LOCAL_PW");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("no server bob@example.org is routed to has auth: oauth2");
    }

    @Test
    void anUpstreamAndSubmissionWithDifferentProvidersExit2() throws Exception {
        Path config = config("""
                routes:
                  - match: "*@example.com"
                    upstream:
                      url: imaps://mail.example.com
                      auth: oauth2
                      provider: %s
                    submission:
                      url: smtps://smtp.example.com
                      auth: oauth2
                      provider: {type: google, client-id: another-app}
                """.formatted(provider()));

        Run run = run(new StringWriter(), "oauth", "login", USER, "--config", config.toString(),
                "--password-env", "LOCAL_PW");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("whose oauth2 providers differ");
    }

    @Test
    void aDeclinedSignInExits1WithOneSentence() throws Exception {
        Path config = config(oauthRoute());
        StringWriter out = new StringWriter();
        CompletableFuture<Run> login = CompletableFuture.supplyAsync(
                () -> run(out, "oauth", "login", USER, "--config", config.toString(), "--password-env", "LOCAL_PW"));

        idp.deny(awaitUserCode(out, login));
        Run run = login.get(60, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("popbridge: sign-in failed (denied): ");
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(Files.exists(TokenStore.open(tokens()).pathOf(USER))).isFalse();
    }

    @Test
    void serviceFlowChecksTheGrantAndEnrolsAServiceAccount() throws Exception {
        Run run = run(new StringWriter(), "oauth", "login", USER, "--config", config(oauthRoute()).toString(),
                "--password-env", "LOCAL_PW", "--flow", "service");

        assertThat(run.status()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("enrolled " + USER + " (generic, account alice)");
        assertThat(idp.grants(StandInIdentityProvider.CLIENT_ID, "client_credentials")).isEqualTo(1);
        UnlockedGrant grant = TokenStore.open(tokens()).unlock(USER, new StoreKey.LocalPassword(PASSWORD)).orElseThrow();
        assertThat(grant.kind()).isEqualTo(GrantKind.CLIENT_CREDENTIALS);
        assertThat(grant.refreshToken()).isEmpty();
    }

    @Test
    void codeFlowNeedsARedirectUriAndAProviderWithAnAuthorizationUrl() throws Exception {
        Path config = config(oauthRoute());

        Run noRedirect = run(new StringWriter(), "oauth", "login", USER, "--config", config.toString(),
                "--password-env", "LOCAL_PW", "--flow", "code");
        pasted = "http://localhost/callback?code=x&state=y\n";
        Run generic = run(new StringWriter(), "oauth", "login", USER, "--config", config.toString(),
                "--password-env", "LOCAL_PW", "--flow", "code", "--redirect-uri", "http://localhost/callback");

        assertThat(noRedirect.status()).isEqualTo(2);
        assertThat(noRedirect.err()).contains("--flow code needs --redirect-uri");
        assertThat(generic.status()).isEqualTo(2);
        assertThat(generic.err()).contains("no authorization URL");
    }

    @Test
    void anUnknownFlowExits2() throws Exception {
        Run run = run(new StringWriter(), "oauth", "login", USER, "--config", config(oauthRoute()).toString(),
                "--password-env", "LOCAL_PW", "--flow", "implicit");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("'implicit' is none of device, code, service");
    }

    @Test
    void aMissingConfigOptionOrSubcommandExits2() {
        Run noConfig = run(new StringWriter(), "oauth", "list");
        Run noSubcommand = run(new StringWriter(), "oauth");

        assertThat(noConfig.status()).isEqualTo(2);
        assertThat(noConfig.err()).contains("--config");
        assertThat(noSubcommand.status()).isEqualTo(2);
        assertThat(noSubcommand.err()).contains("login, list or revoke");
    }

    // ---- list

    @Test
    void listShowsTheEnrolledUsersWithoutAnyToken() throws Exception {
        Path config = config(oauthRoute());
        Run empty = run(new StringWriter(), "oauth", "list", "--config", config.toString());
        String refreshToken = idp.issueRefreshToken("alice");
        TokenStore.open(tokens()).enrol(USER, new StoreKey.LocalPassword(PASSWORD),
                Enrolment.delegated("generic", "alice", refreshToken));

        Run run = run(new StringWriter(), "oauth", "list", "--config", config.toString());

        assertThat(empty.status()).isEqualTo(0);
        assertThat(empty.out()).contains("no users enrolled");
        assertThat(run.status()).isEqualTo(0);
        assertThat(run.out()).contains(USER + "  generic  delegated  enrolled ").contains("updated ")
                .doesNotContain(refreshToken).doesNotContain(PASSWORD);
    }

    // ---- revoke

    @Test
    void revokeDeletesTheFileAndWithThePasswordRevokesAtTheProvider() throws Exception {
        Path config = config(oauthRoute());
        String refreshToken = idp.issueRefreshToken("alice");
        TokenStore.open(tokens()).enrol(USER, new StoreKey.LocalPassword(PASSWORD),
                Enrolment.delegated("generic", "alice", refreshToken));

        Run run = run(new StringWriter(), "oauth", "revoke", USER, "--config", config.toString(),
                "--password-env", "LOCAL_PW");

        assertThat(run.status()).as(run.err()).isEqualTo(0);
        assertThat(run.out()).contains("revoked " + USER + "'s refresh token").contains("deleted the token file");
        assertThat(idp.isRefreshTokenValid(refreshToken)).isFalse();
        assertThat(Files.exists(TokenStore.open(tokens()).pathOf(USER))).isFalse();
        assertThat(run(new StringWriter(), "oauth", "list", "--config", config.toString()).out())
                .contains("no users enrolled");
    }

    @Test
    void revokeWithoutThePasswordOnlyDeletesAndAnUnknownUserExits1() throws Exception {
        Path config = config(oauthRoute());
        String refreshToken = idp.issueRefreshToken("alice");
        TokenStore.open(tokens()).enrol(USER, new StoreKey.LocalPassword(PASSWORD),
                Enrolment.delegated("generic", "alice", refreshToken));

        Run run = run(new StringWriter(), "oauth", "revoke", USER, "--config", config.toString());
        Run again = run(new StringWriter(), "oauth", "revoke", USER, "--config", config.toString());

        assertThat(run.status()).isEqualTo(0);
        assertThat(Files.exists(TokenStore.open(tokens()).pathOf(USER))).isFalse();
        assertThat(idp.isRefreshTokenValid(refreshToken)).isTrue();
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains(USER + " is not enrolled");
    }

    @Test
    void revokeWithAWrongPasswordDeletesNothing() throws Exception {
        Path config = config(oauthRoute());
        TokenStore.open(tokens()).enrol(USER, new StoreKey.LocalPassword("another password"),
                Enrolment.delegated("generic", "alice", idp.issueRefreshToken("alice")));

        Run run = run(new StringWriter(), "oauth", "revoke", USER, "--config", config.toString(),
                "--password-env", "LOCAL_PW");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("does not open");
        assertThat(Files.exists(TokenStore.open(tokens()).pathOf(USER))).isTrue();
    }

    // ---- plumbing

    private Path tokens() {
        return dir.resolve("state").resolve("oauth");
    }

    private String provider() {
        return "{type: generic, token-url: '%s', device-authorization-url: '%s', revocation-url: '%s', client-id: %s, client-secret-env: %s, scopes: [%s]}"
                .formatted(idp.tokenUrl(), idp.deviceAuthorizationUrl(), idp.revocationUrl(),
                        StandInIdentityProvider.CLIENT_ID, SECRET_VARIABLE, StandInIdentityProvider.SCOPE);
    }

    /** Users of example.com read from an oauth2 upstream as their name without the domain; others by password. */
    private String oauthRoute() {
        return """
                upstream: pop3s://mail.example.org
                routes:
                  - match: "*@example.com"
                    strip-domain: true
                    upstream:
                      url: imaps://mail.example.com
                      auth: oauth2
                      provider: %s
                """.formatted(provider());
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("popbridge.yaml"), "state-dir: " + dir.resolve("state") + "\n" + yaml);
    }

    private String environment(String name) {
        return switch (name) {
            case SECRET_VARIABLE -> idp.clientSecret();
            case "LOCAL_PW" -> PASSWORD;
            default -> System.getenv(name);
        };
    }

    private Run run(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        UnaryOperator<String> env = this::environment;
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == OAuthLoginCommand.class) {
                    OAuthLoginCommand login = new OAuthLoginCommand();
                    login.environment = env;
                    login.terminal = () -> hasTerminal ? Optional.of(prompt -> typed.poll()) : Optional.empty();
                    login.stdin = () -> new StringReader(pasted);
                    return type.cast(login);
                }
                if (type == OAuthRevokeCommand.class) {
                    OAuthRevokeCommand revoke = new OAuthRevokeCommand();
                    revoke.environment = env;
                    return type.cast(revoke);
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new PopbridgeCommand(), factory);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    /** The user code the running login printed, as the admin reads it off the screen. */
    private static String awaitUserCode(StringWriter out, CompletableFuture<Run> login) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher code = USER_CODE.matcher(out.toString());
            if (code.find()) {
                return code.group(1);
            }
            if (login.isDone()) {
                throw new AssertionError("login ended before printing a code: " + login.get());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no user code printed: " + out);
    }
}

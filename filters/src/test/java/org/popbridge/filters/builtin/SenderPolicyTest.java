package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.popbridge.filters.rules.Mail.headers;
import static org.popbridge.filters.rules.Mail.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.popbridge.filters.CommandDecision;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.Direction;
import org.popbridge.filters.Envelope;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageFilterFactory;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.SessionCommand;
import org.popbridge.filters.SessionFilterFactory;
import org.popbridge.filters.SessionInfo;
import org.popbridge.filters.Verdict;

/** sender-policy: who may send as what, checked at MAIL FROM and again on the envelope and From headers. */
class SenderPolicyTest {

    private static final SessionInfo SESSION = new SessionInfo("5c1d", "192.0.2.7:50100", "smtp://0.0.0.0:587",
            "smtp://mail.example.com:587", Direction.OUTGOING);

    private static final ConfiguredFilter WITH_DOMAIN = policy(map("domain", "example.com"));
    private static final ConfiguredFilter FULL_LOGINS = policy(map());
    private static final ConfiguredFilter WITH_ALIASES = policy(map(
            "domain", "example.com",
            "aliases", map(
                    "alice", List.of("sales@example.com", "@alice.example.com"),
                    "*", List.of("noreply@example.com"))));

    @Test
    void withADomainALoginSendsAsLoginAtTheDomain() {
        assertThat(mail(WITH_DOMAIN, "alice", "FROM:<alice@example.com> SIZE=1200")).isEqualTo(CommandDecision.allow());

        CommandDecision forged = mail(WITH_DOMAIN, "alice", "FROM:<bob@example.com> SIZE=1200");
        assertThat(forged.allowed()).isFalse();
        assertThat(forged.temporary()).isFalse();
        assertThat(forged.reason()).isEqualTo("Sender address <bob@example.com> is not yours (logged in as alice)");
    }

    @Test
    void aLoginThatIsAnAddressIsItsOwnAddressWithoutADomain() {
        assertThat(mail(FULL_LOGINS, "alice@example.com", "FROM:<alice@example.com>").allowed()).isTrue();
        assertThat(mail(FULL_LOGINS, "alice@example.com", "FROM:<bob@example.com>").reason())
                .isEqualTo("Sender address <bob@example.com> is not yours (logged in as alice@example.com)");
    }

    @Test
    void aLoginThatIsAnAddressKeepsItEvenWithADomain() {
        assertThat(mail(WITH_DOMAIN, "alice@other.example", "FROM:<alice@other.example>").allowed()).isTrue();
        assertThat(mail(WITH_DOMAIN, "alice@other.example", "FROM:<alice@example.com>").allowed()).isFalse();
    }

    @Test
    void withoutADomainAPlainLoginMaySendOnlyAsItsAliases() {
        assertThat(mail(FULL_LOGINS, "alice", "FROM:<alice@example.com>").reason())
                .isEqualTo("Sender address <alice@example.com> is not yours (logged in as alice)");

        ConfiguredFilter aliasesOnly = policy(map("aliases", map("alice", "alice@example.com")));
        assertThat(mail(aliasesOnly, "alice", "FROM:<alice@example.com>").allowed()).isTrue();
    }

    @Test
    void loginsAndAddressesCompareWithoutCase() {
        assertThat(mail(WITH_DOMAIN, "Alice", "FROM:<ALICE@Example.COM>").allowed()).isTrue();
        assertThat(mail(WITH_ALIASES, "ALICE", "FROM:<Sales@EXAMPLE.com>").allowed()).isTrue();
        assertThat(mail(WITH_ALIASES, "alice", "FROM:<Anyone@Alice.Example.Com>").allowed()).isTrue();
        assertThat(mail(policy(map("aliases", map("ALICE@Example.com", "sales@example.com"))), "alice@EXAMPLE.COM",
                "FROM:<sales@example.com>").allowed()).isTrue();
    }

    @Test
    void aliasesAllowWholeAddressesDomainsAndAddressesForEveryone() {
        assertThat(mail(WITH_ALIASES, "alice", "FROM:<sales@example.com>").allowed()).isTrue();
        assertThat(mail(WITH_ALIASES, "alice", "FROM:<shop@alice.example.com>").allowed()).isTrue();
        assertThat(mail(WITH_ALIASES, "alice", "FROM:<noreply@example.com>").allowed()).isTrue();

        assertThat(mail(WITH_ALIASES, "bob", "FROM:<noreply@example.com>").allowed()).isTrue();
        assertThat(mail(WITH_ALIASES, "bob", "FROM:<sales@example.com>").reason())
                .isEqualTo("Sender address <sales@example.com> is not yours (logged in as bob)");
        assertThat(mail(WITH_ALIASES, "bob", "FROM:<shop@alice.example.com>").allowed()).isFalse();
    }

    @Test
    void aDomainAliasCoversExactlyThatDomainNotItsSubdomainsOrParent() {
        assertThat(mail(WITH_ALIASES, "alice", "FROM:<x@mail.alice.example.com>").reason())
                .isEqualTo("Sender address <x@mail.alice.example.com> is not yours (logged in as alice)");
        assertThat(mail(WITH_ALIASES, "alice", "FROM:<x@example.com>").allowed()).isFalse();
        assertThat(mail(WITH_ALIASES, "alice", "FROM:<x@notalice.example.com>").allowed()).isFalse();
    }

    @Test
    void aliasesUnderTheOwnAddressServeAUserWhoLogsInWithoutTheDomain() {
        ConfiguredFilter filter = policy(map("domain", "example.com",
                "aliases", map("alice@example.com", List.of("sales@example.com"))));

        assertThat(mail(filter, "alice", "FROM:<sales@example.com>").allowed()).isTrue();
        assertThat(mail(filter, "bob", "FROM:<sales@example.com>").allowed()).isFalse();
    }

    @Test
    void theNullPathOfBouncesAndReceiptsIsAllowed() {
        assertThat(mail(WITH_DOMAIN, "alice", "FROM:<>").allowed()).isTrue();
        assertThat(mail(FULL_LOGINS, "alice", "FROM:<> SIZE=300").allowed()).isTrue();

        Verdict receipt = send(WITH_DOMAIN, "alice", "", "From: alice@example.com");
        assertThat(receipt.action()).isEqualTo(Verdict.Action.DELIVER);
        assertThat(receipt.findings()).containsExactly("alice may send as alice@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "FROM:<bob@example.com>",
            "from:<bob@example.com> SIZE=100 BODY=8BITMIME",
            "From: <bob@example.com>",
            "FROM:bob@example.com",
            "FROM:bob@example.com SIZE=100",
            "FROM:<@relay.example:bob@example.com>",
            "FROM:<BOB@example.com.>"})
    void theReversePathIsReadAsServersReadIt(String arguments) {
        assertThat(mail(WITH_DOMAIN, "alice", arguments).reason())
                .isEqualTo("Sender address <bob@example.com> is not yours (logged in as alice)");
        assertThat(mail(WITH_DOMAIN, "bob", arguments).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "FROM:", "FROM: ", "TO:<bob@example.com>", "FROM <bob@example.com>",
            "FROM:<bob@example.com"})
    void argumentsThatNameNoPathAreLeftToTheServersSyntaxError(String arguments) {
        assertThat(mail(WITH_DOMAIN, "alice", arguments)).isEqualTo(CommandDecision.allow());
    }

    @Test
    void aPathThatIsNotAnAddressCannotBeShownToBeTheUsers() {
        // Some servers would qualify a bare name with their own domain: it is not let through.
        assertThat(mail(WITH_DOMAIN, "alice", "FROM:<postmaster>").reason())
                .isEqualTo("Sender address <postmaster> is not yours (logged in as alice)");
    }

    @Test
    void otherCommandsAreNotChecked() {
        SessionFilterFactory factory = (SessionFilterFactory) WITH_DOMAIN;
        for (String[] command : new String[][] {{"RCPT", "TO:<bob@example.com>"}, {"DATA", ""}, {"EHLO", "x"}}) {
            assertThat(factory.forSession(SESSION).command(new SessionCommand(command[0], command[1], "alice")))
                    .isEqualTo(CommandDecision.allow());
        }
    }

    @Test
    void mailBeforeLoginIsLeftToTheServerToDemandOne() {
        assertThat(mail(WITH_DOMAIN, null, "FROM:<bob@example.com>")).isEqualTo(CommandDecision.allow());
    }

    @Test
    void aFromWithADisplayNameIsReadForItsAddress() {
        Verdict verdict = send(WITH_DOMAIN, "alice", "alice@example.com",
                "From: \"Example, Alice\" <Alice@Example.com> (work)", "Subject: hi");

        assertThat(verdict.action()).isEqualTo(Verdict.Action.DELIVER);
        assertThat(verdict.findings()).containsExactly("alice may send as alice@example.com");
    }

    @Test
    void everyFromAddressMustBeTheUsers() {
        Verdict oneField = send(WITH_ALIASES, "alice", "alice@example.com",
                "From: Alice <alice@example.com>, The Boss <boss@example.com>");
        assertThat(oneField.action()).isEqualTo(Verdict.Action.REFUSE);
        assertThat(oneField.findings()).containsExactly("From: address <boss@example.com> is not yours (logged in as alice)");

        Verdict twoFields = send(WITH_ALIASES, "alice", "alice@example.com",
                "From: alice@example.com", "Subject: s", "From: boss@example.com");
        assertThat(twoFields.findings()).containsExactly("From: address <boss@example.com> is not yours (logged in as alice)");

        Verdict allHers = send(WITH_ALIASES, "alice", "alice@example.com",
                "From: alice@example.com, Sales <sales@example.com>");
        assertThat(allHers.action()).isEqualTo(Verdict.Action.DELIVER);
        assertThat(allHers.findings()).containsExactly("alice may send as alice@example.com, sales@example.com");
    }

    @Test
    void aMessageWithoutAFromAddressIsRefused() {
        assertThat(send(WITH_DOMAIN, "alice", "alice@example.com", "Subject: no from").findings())
                .containsExactly("The message has no From: address");
        assertThat(send(WITH_DOMAIN, "alice", "alice@example.com", "From: undisclosed-recipients:;").action())
                .isEqualTo(Verdict.Action.REFUSE);
    }

    @Test
    void aForgedEnvelopeSenderIsRefusedAfterTheHeadersToo() {
        Verdict verdict = send(WITH_DOMAIN, "alice", "bob@example.com", "From: alice@example.com");

        assertThat(verdict.action()).isEqualTo(Verdict.Action.REFUSE);
        assertThat(verdict.findings()).containsExactly("Sender address <bob@example.com> is not yours (logged in as alice)");
    }

    @Test
    void aMessageWithoutALoggedInUserIsRefused() {
        assertThat(send(WITH_DOMAIN, null, "alice@example.com", "From: alice@example.com").findings())
                .containsExactly("No logged-in user to check the sender against");
    }

    @Test
    void aMessageBeingReadIsNotChecked() {
        Verdict verdict = ((MessageFilterFactory) WITH_DOMAIN).forMessage(MessageInfo.offline(100))
                .headers(headers("From: anyone@elsewhere.example")).toCompletableFuture().join();

        assertThat(verdict).isEqualTo(Verdict.deliver());
    }

    @Test
    void aLoginWithControlCharactersStillGetsAOneLineRefusal() {
        CommandDecision decision = mail(WITH_DOMAIN, "mallory\r\n250 ok", "FROM:<bob@example.com>");

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("Sender address <bob@example.com> is not yours (logged in as mallory??250 ok)");
    }

    @Test
    void itDecidesAtOnce() {
        assertThat(((MessageFilterFactory) WITH_DOMAIN).forMessage(outgoing("alice", "alice@example.com"))
                .headers(headers("From: alice@example.com")).toCompletableFuture()).isCompleted();
    }

    private static ConfiguredFilter policy(Map<String, Object> settings) {
        return new SenderPolicyProvider().configure(FilterSettings.of(settings, "/filters/0/sender-policy"));
    }

    private static CommandDecision mail(ConfiguredFilter filter, String user, String arguments) {
        return ((SessionFilterFactory) filter).forSession(SESSION).command(new SessionCommand("MAIL", arguments, user));
    }

    private static Verdict send(ConfiguredFilter filter, String user, String sender, String... fields) {
        HeaderBlock block = headers(fields);
        return ((MessageFilterFactory) filter).forMessage(outgoing(user, sender)).headers(block)
                .toCompletableFuture().join();
    }

    private static MessageInfo outgoing(String user, String sender) {
        return MessageInfo.outgoing(2048, user, "mail.example.com:587", new Envelope(sender, List.of("carol@elsewhere.example")));
    }
}

package org.popbridge.proxy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.popbridge.filters.ChainOutcome;
import org.popbridge.filters.Direction;
import org.popbridge.filters.Envelope;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;
import org.popbridge.filters.MessageRun;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.PopbridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code popbridge test-rules --config FILE message.eml ...}: runs the configured filter chain
 * over saved messages as the proxy would on RETR, or with {@code --outgoing} as it would on a
 * message an SMTP client sends, and shows what would become of each, so rules can be tried
 * before they go live.
 */
@Command(name = "test-rules", mixinStandardHelpOptions = true,
        description = {"Run the filters of a config over saved messages and show what a client would get: "
                + "deliver, HIDE or REFUSED, what each filter found, and the header block.",
                "With --outgoing, run the filters for mail sent instead, as if --user had sent the message "
                        + "with the envelope given: send or REFUSED, and the reply the client would get. "
                        + "Limits on sessions (rate-limit) are not tried.",
                "Exit status: 0 if every message was processed, 1 if one could not be read, 2 for a config error."})
final class TestRulesCommand implements Callable<Integer> {

    // The chain bounds each filter by its budget; this only keeps a chain that never answers from hanging the command.
    private static final Duration MARGIN = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML configuration file.")
    Path config;

    @Parameters(paramLabel = "MESSAGE", arity = "1..*", description = "Message files (.eml), as stored upstream.")
    List<Path> messages;

    @Option(names = "--outgoing", description = "Run the filters for mail sent (SMTP), not for mail read (POP3).")
    boolean outgoing;

    @Option(names = "--user", paramLabel = "USER", description = "With --outgoing: the login name of the sender.")
    String user;

    @Option(names = "--sender", paramLabel = "ADDRESS",
            description = "With --outgoing: the envelope sender (MAIL FROM). Without it the envelope sender is "
                    + "<>, which sender-policy allows, so only the message's own headers are judged.")
    String sender;

    @Option(names = "--recipient", paramLabel = "ADDRESS",
            description = "With --outgoing: an envelope recipient (RCPT TO); may be repeated.")
    List<String> recipients = List.of();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PopbridgeConfig loaded;
        try {
            loaded = new ConfigLoader().load(config);
        } catch (ConfigException e) {
            err.println("popbridge: " + e.getMessage());
            return ExitCodes.CONFIG_ERROR;
        }
        if (!outgoing && (user != null || sender != null || !recipients.isEmpty())) {
            err.println("popbridge: --user, --sender and --recipient describe mail sent; add --outgoing");
            return ExitCodes.CONFIG_ERROR;
        }
        if (outgoing && user == null) {
            err.println("popbridge: --outgoing needs --user, the login the message is sent as");
            return ExitCodes.CONFIG_ERROR;
        }
        FilterChain chain = loaded.filterChain().forDirection(direction());
        if (!chain.filtersMessages()) {
            err.println("popbridge: " + config + " has no filters that look at " + direction().configName()
                    + " messages; they pass unchanged");
        }
        RulesReport report = new RulesReport(out, direction());
        int status = ExitCodes.OK;
        for (Path file : messages) {
            try {
                check(file, MessageFile.of(Files.readAllBytes(file)), chain, loaded.filtering().headerLimit(), report);
            } catch (IOException e) {
                err.println("popbridge: " + file + ": cannot read: " + reason(e));
                status = ExitCodes.FAILURE;
            } catch (TimeoutException | ExecutionException e) {
                err.println("popbridge: " + file + ": the filter chain did not finish: " + e);
                status = ExitCodes.FAILURE;
            }
            out.flush();
        }
        return status;
    }

    private Direction direction() {
        return outgoing ? Direction.OUTGOING : Direction.INCOMING;
    }

    /** The message as the chain is told of it: read from a maildrop, or sent by --user with the envelope given. */
    private MessageInfo info(MessageFile message) {
        if (!outgoing) {
            return MessageInfo.offline(message.size());
        }
        String envelopeSender = sender != null ? sender : "";
        return MessageInfo.outgoing(message.size(), user, null, new Envelope(envelopeSender, recipients));
    }

    private void check(Path file, MessageFile message, FilterChain chain, int headerLimit, RulesReport report)
            throws InterruptedException, ExecutionException, TimeoutException {
        HeaderBlock headers = HeaderBlock.parse(message.headers());
        if (message.headerWireSize() > headerLimit) {
            report.unfiltered(file, headers, message.headerWireSize(), headerLimit, chain.filtersMessages());
            return;
        }
        MessageRun run = chain.start(info(message), Runnable::run);
        Duration bound = chain.timeBudget().multipliedBy(Math.max(1, chain.entries().size())).plus(MARGIN);
        ChainOutcome outcome = run.headers(headers).toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        boolean bodyCut = false;
        if (outcome.disposition() == ChainOutcome.Disposition.DELIVER) {
            // As on RETR: filters that watch bodies get it, and may still fail the message.
            bodyCut = !run.body(ByteBuffer.wrap(message.body()));
        }
        run.end(outcome.disposition() == ChainOutcome.Disposition.DELIVER && !bodyCut);
        report.outcome(file, outcome, run.failures(), bodyCut);
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }
}

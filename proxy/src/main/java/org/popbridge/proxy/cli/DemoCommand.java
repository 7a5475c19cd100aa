package org.popbridge.proxy.cli;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.popbridge.proxy.config.ConfigException;
import org.popbridge.proxy.config.ConfigLoader;
import org.popbridge.proxy.config.ListenerConfig;
import org.popbridge.proxy.config.PopbridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code popbridge demo}: the proxy in front of an embedded sample mail server (GreenMail)
 * holding a few messages, read over POP3 or, with --imap, over IMAP, so a newcomer can read mail through popbridge over TLS at once.
 * Unless --config names another, it runs with the filters of examples/filters.yaml, shipped
 * as the resource demo/filters.yaml, which tag two of the messages as spam.
 *
 * <p>The sample server also takes mail over SMTP (with AUTH, as user demo), and popbridge's SMTP
 * listeners send through it: mail submitted to popbridge for {@value #RECIPIENT} lands in the
 * same sample mailbox and can be read back over POP3.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run popbridge in front of an embedded sample POP3 server (user demo, password demo); "
                + "its SMTP listeners send mail through the sample server's SMTP.")
final class DemoCommand implements Callable<Integer> {

    static final String USER = "demo";
    static final String PASSWORD = "demo";
    private static final List<String> SAMPLE_MAIL = List.of("1-welcome.eml", "2-dots.eml", "3-latin1.eml",
            "4-blocked-sender.eml", "5-upstream-flagged.eml");
    /** The demo's filters: a copy of examples/filters.yaml. */
    static final String FILTERS = "demo/filters.yaml";
    /** Where the demo listens when neither --listen nor the --config file says: POP3 to read, SMTP to send. */
    static final List<String> LISTENERS = List.of("pop3://127.0.0.1:1110", "pop3s://127.0.0.1:1995",
            "smtp://127.0.0.1:1587", "smtps://127.0.0.1:1465");
    /** The address the sample server delivers into the mailbox of user demo (its email address there). */
    static final String RECIPIENT = USER + "@localhost";
    /** A message to send in the hints, relative to the repository root as the README's commands are. */
    static final String OUTGOING_SAMPLE = "examples/mail/5-sent-through-popbridge.eml";

    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--imap", description = "Read the sample mailbox over IMAP: popbridge translates POP3 into IMAP.")
    boolean imap;

    @Override
    public Integer call() throws InterruptedException {
        // The demo always relays to its own sample server: a server given here would be ignored without a word.
        if (options.upstream != null || options.submission != null) {
            return ExitCodes.usage("demo: " + (options.upstream != null ? "--upstream" : "--submission")
                    + " does not apply: the demo relays to its own sample server. To relay to your mail server, "
                    + "run popbridge without demo: popbridge --upstream URL [--submission URL] ...");
        }
        Prepared demo;
        try {
            demo = prepare();
        } catch (ConfigException e) {
            return ExitCodes.configError(e);
        } catch (IOException | MessagingException e) {
            System.err.println("popbridge demo: cannot load the sample mail or filters: " + e.getMessage());
            return 1;
        }
        printHints(demo.config(), demo.ownFilters(), demo.sample());
        return ProxyRunner.runUntilStopped(demo.config(), null, null, demo.sample()::stop);
    }

    /**
     * The running sample server and the config popbridge runs with in front of it.
     *
     * @param ownFilters whether the demo's own filters are in use (no --config)
     */
    record Prepared(GreenMail sample, PopbridgeConfig config, boolean ownFilters) {
    }

    /**
     * Starts the sample server (POP3, IMAP and SMTP on free loopback ports) with its mail, and
     * resolves the config around it; on failure the sample server is stopped again.
     */
    Prepared prepare() throws ConfigException, IOException, MessagingException {
        GreenMail sample = new SampleMailServer(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort(),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort(),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort()});
        sample.start();
        try {
            // Login demo, address demo@localhost: mail for that address lands in this mailbox.
            loadSampleMail(sample.setUser(RECIPIENT, USER, PASSWORD));
            // The demo always relays to its own sample server, and sends through it.
            options.upstream = imap ? "imap://127.0.0.1:" + sample.getImap().getPort()
                    : "pop3://127.0.0.1:" + sample.getPop3().getPort();
            options.submission = "smtp://127.0.0.1:" + sample.getSmtp().getPort();
            boolean ownFilters = options.config == null;
            PopbridgeConfig config = ownFilters ? options.resolveOver(demoConfig()) : options.resolve();
            if (options.listen.isEmpty() && config.listen().equals(PopbridgeConfig.DEFAULT_LISTENERS)) {
                config = config.withListen(LISTENERS.stream().map(ListenerConfig::parse).toList());
            }
            if (!config.sendsMail() && config.submission() != null) {
                // Given only POP3 listeners: no sample SMTP server to connect to, nor to warn about.
                config = config.withSubmission(null);
            }
            return new Prepared(sample, config, ownFilters);
        } catch (ConfigException | IOException | MessagingException | RuntimeException e) {
            sample.stop();
            throw e;
        }
    }

    /** The demo's built-in config, read the same way as a config file, and named as its resource in errors. */
    static PopbridgeConfig demoConfig() throws ConfigException, IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/" + FILTERS)) {
            if (in == null) {
                throw new IOException("missing resource " + FILTERS);
            }
            return new ConfigLoader().load(Path.of(FILTERS), in.readAllBytes());
        }
    }

    private static void loadSampleMail(GreenMailUser user) throws IOException, MessagingException {
        Session session = Session.getInstance(new Properties());
        for (String name : SAMPLE_MAIL) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
                if (in == null) {
                    throw new IOException("missing resource demo/" + name);
                }
                user.deliver(new MimeMessage(session, in));
            }
        }
    }

    private static void printHints(PopbridgeConfig config, boolean ownFilters, GreenMail sample) {
        String certFile = config.stateDir().resolve("self-signed.crt").toString();
        String tlsFlags = config.tls().configured() ? "" : " --cacert " + certFile;
        System.out.println("popbridge demo: sample mailbox user '" + USER + "', password '" + PASSWORD + "', "
                + SAMPLE_MAIL.size() + " messages. Try, in another terminal:");
        config.listen().forEach(listener -> {
            switch (listener.scheme()) {
                case POP3S -> System.out.println("  curl" + tlsFlags + " -u demo:demo " + listener.url() + "/1");
                case POP3 -> System.out.println("  curl --ssl-reqd" + tlsFlags + " -u demo:demo " + listener.url() + "/");
                default -> { }
            }
        });
        if (config.sendsMail()) {
            System.out.println("Send mail through popbridge (SMTP submission, relayed to the sample server's SMTP on "
                    + "127.0.0.1:" + sample.getSmtp().getPort() + "); mail to " + RECIPIENT
                    + " lands in the same mailbox:");
            String send = " -u demo:demo --mail-from " + RECIPIENT + " --mail-rcpt " + RECIPIENT + " -T "
                    + OUTGOING_SAMPLE + " ";
            config.listen().forEach(listener -> {
                switch (listener.scheme()) {
                    case SMTP -> System.out.println("  curl --ssl-reqd" + tlsFlags + send + listener.url());
                    case SMTPS -> System.out.println("  curl" + tlsFlags + send + listener.url());
                    default -> { }
                }
            });
        }
        if (ownFilters) {
            System.out.println("Messages 4 and 5 are tagged [SPAM] by the filters of " + FILTERS
                    + " (a copy of examples/filters.yaml); the originals stay untouched on the sample server.");
        }
        System.out.println("Stop with Ctrl-C.");
    }
}

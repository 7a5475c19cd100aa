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
import org.popbridge.proxy.config.PopbridgeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code popbridge demo}: the proxy in front of an embedded sample mail server (GreenMail)
 * holding a few messages, read over POP3 or, with --imap, over IMAP, so a newcomer can read mail through popbridge over TLS at once.
 * Unless --config names another, it runs with the filters of examples/filters.yaml, shipped
 * as the resource demo/filters.yaml, which tag two of the messages as spam.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run popbridge in front of an embedded sample POP3 server (user demo, password demo).")
final class DemoCommand implements Callable<Integer> {

    static final String USER = "demo";
    static final String PASSWORD = "demo";
    private static final List<String> SAMPLE_MAIL = List.of("1-welcome.eml", "2-dots.eml", "3-latin1.eml",
            "4-blocked-sender.eml", "5-upstream-flagged.eml");
    /** The demo's filters: a copy of examples/filters.yaml. */
    static final String FILTERS = "demo/filters.yaml";

    @Mixin
    RunOptions options = new RunOptions();

    @Option(names = "--imap", description = "Read the sample mailbox over IMAP: popbridge translates POP3 into IMAP.")
    boolean imap;

    @Override
    public Integer call() throws InterruptedException {
        GreenMail sample = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort(),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()});
        sample.start();
        PopbridgeConfig config;
        try {
            loadSampleMail(sample.setUser(USER + "@localhost", USER, PASSWORD));
            // The demo always relays to its own sample server.
            options.upstream = imap ? "imap://127.0.0.1:" + sample.getImap().getPort()
                    : "pop3://127.0.0.1:" + sample.getPop3().getPort();
            boolean ownFilters = options.config == null;
            config = ownFilters ? options.resolveOver(demoConfig()) : options.resolve();
            printHints(config, ownFilters);
        } catch (ConfigException e) {
            sample.stop();
            return ExitCodes.configError(e);
        } catch (IOException | MessagingException e) {
            sample.stop();
            System.err.println("popbridge demo: cannot load the sample mail or filters: " + e.getMessage());
            return 1;
        }
        return ProxyRunner.runUntilStopped(config, sample::stop);
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

    private static void printHints(PopbridgeConfig config, boolean ownFilters) {
        String certFile = config.stateDir().resolve("self-signed.crt").toString();
        System.out.println("popbridge demo: sample mailbox user '" + USER + "', password '" + PASSWORD + "', "
                + SAMPLE_MAIL.size() + " messages. Try, in another terminal:");
        config.listen().forEach(listener -> {
            String tlsFlags = config.tls().configured() ? "" : " --cacert " + certFile;
            switch (listener.scheme()) {
                case POP3S -> System.out.println("  curl" + tlsFlags + " -u demo:demo " + listener.url() + "/1");
                case POP3 -> System.out.println("  curl --ssl-reqd" + tlsFlags + " -u demo:demo " + listener.url() + "/");
            }
        });
        if (ownFilters) {
            System.out.println("Messages 4 and 5 are tagged [SPAM] by the filters of " + FILTERS
                    + " (a copy of examples/filters.yaml); the originals stay untouched on the sample server.");
        }
        System.out.println("Stop with Ctrl-C.");
    }
}

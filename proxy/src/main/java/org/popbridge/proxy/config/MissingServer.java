package org.popbridge.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A server the listeners need and the settings lack: POP3 listeners read mail from an upstream,
 * SMTP listeners send it through a submission server. Checked after the command line has been
 * laid over the file (it may add the server), by a start and by check-config alike.
 */
public enum MissingServer {
    UPSTREAM(ListenerScheme.Protocol.POP3, "upstream", "read mail from",
            "add upstream: (a URL such as pop3s://mail.example.com), or routes with an upstream"),
    SUBMISSION(ListenerScheme.Protocol.SMTP, "submission", "send mail through",
            "add submission: (a URL such as smtps://smtp.example.com), or routes with a submission server");

    private final ListenerScheme.Protocol protocol;
    private final String key;
    private final String verb;
    private final String fix;

    MissingServer(ListenerScheme.Protocol protocol, String key, String verb, String fix) {
        this.protocol = protocol;
        this.key = key;
        this.verb = verb;
        this.fix = fix;
    }

    /** What {@code config} lacks, in this order: the upstream, then the submission server. */
    public static List<MissingServer> of(PopbridgeConfig config) {
        List<MissingServer> missing = new ArrayList<>();
        if (config.readsMail() && !config.hasUpstream()) {
            missing.add(UPSTREAM);
        }
        if (config.sendsMail() && !config.hasSubmission()) {
            missing.add(SUBMISSION);
        }
        return missing;
    }

    /**
     * The problem at the first listener that needs the server, or at {@code listen} itself when
     * the file names no listener (the defaults are POP3).
     */
    public ConfigProblem in(ConfigFileLines lines, PopbridgeConfig config) {
        Predicate<ListenerConfig> needs = listener -> listener.protocol() == protocol;
        int first = config.listen().indexOf(config.listen().stream().filter(needs).findFirst().orElseThrow());
        String problem = " a server to " + verb + ", and there is no " + key + ": " + fix;
        if (!lines.has(List.of("listen"))) {
            return new ConfigProblem(lines.file(), -1, "listen", "the default listeners ("
                    + String.join(", ", config.listen().stream().map(ListenerConfig::url).toList()) + ") need" + problem);
        }
        return lines.problem(List.of("listen", first),
                "the " + protocol + " listener " + config.listen().get(first).url() + " needs" + problem);
    }
}

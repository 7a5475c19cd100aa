package org.popbridge.proxy.pop3.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The upstream's answer to CAPA (RFC 2449 section 5), read once when the session starts. */
public record UpstreamCapabilities(List<String> lines) {

    /** The SASL mechanisms popbridge relays (RFC 5034 with RFC 4616 PLAIN and LOGIN). */
    static final List<String> RELAYABLE_SASL = List.of("PLAIN", "LOGIN");

    public UpstreamCapabilities {
        lines = List.copyOf(lines);
    }

    /** An upstream that answered CAPA with -ERR: a plain RFC 1939 server. */
    public static UpstreamCapabilities none() {
        return new UpstreamCapabilities(List.of());
    }


    public boolean has(String tag) {
        return lines.stream().anyMatch(line -> tagOf(line).equals(tag));
    }

    /** Whether commands may be sent before earlier ones are answered (RFC 2449 section 6.6). */
    public boolean pipelining() {
        return has("PIPELINING");
    }

    /** Every SASL mechanism the upstream offers (RFC 2449 section 6.3), in upper case. */
    public List<String> saslMechanisms() {
        List<String> offered = new ArrayList<>();
        for (String line : lines) {
            if (tagOf(line).equals("SASL")) {
                List<String> words = List.of(line.split(" +"));
                words.subList(1, words.size()).forEach(word -> offered.add(word.toUpperCase(Locale.ROOT)));
            }
        }
        return offered;
    }

    /** The mechanisms the upstream offers that the proxy can relay, in the proxy's order of preference. */
    public List<String> relayableSaslMechanisms() {
        List<String> offered = new ArrayList<>();
        for (String line : lines) {
            if (tagOf(line).equals("SASL")) {
                for (String word : line.split(" +")) {
                    offered.add(word.toUpperCase(Locale.ROOT));
                }
            }
        }
        return RELAYABLE_SASL.stream().filter(offered::contains).toList();
    }

    static String tagOf(String line) {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    }
}

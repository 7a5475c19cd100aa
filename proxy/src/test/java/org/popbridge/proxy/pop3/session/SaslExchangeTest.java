package org.popbridge.proxy.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.popbridge.proxy.core.session.SessionLimits;
import org.popbridge.proxy.pop3.OverlongLine;
import org.popbridge.proxy.pop3.Pop3Command;

class SaslExchangeTest {

    private final SessionLimits limits = SessionLimits.defaults();
    private final List<Integer> lineLimits = new ArrayList<>();
    private final List<String> named = new ArrayList<>();
    private final SaslExchange sasl = new SaslExchange(limits, lineLimits::add);

    @Test
    void clientLinesAreCommandsUntilTheUpstreamAsksForAResponse() {
        assertThat(sasl.inProgress()).isFalse();
        assertThat(sasl.expectsResponse()).isFalse();

        sasl.responseExpected();

        assertThat(sasl.inProgress()).isTrue();
        assertThat(sasl.expectsResponse()).isTrue();
        assertThat(lineLimits).containsExactly(limits.saslLineOctets());
    }

    @Test
    void aResponseGoesUpstreamAsItIsAndNamesTheUser() {
        sasl.watch(new SaslIdentity("PLAIN"));
        sasl.responseExpected();
        String response = base64("\0alice\0secret");

        assertThat(sasl.respond(new Pop3Command(response), named::add)).isEqualTo(response);

        assertThat(named).containsExactly("alice");
        // The upstream's turn: still no commands, but the next line is not a response either.
        assertThat(sasl.inProgress()).isTrue();
        assertThat(sasl.expectsResponse()).isFalse();
    }

    @Test
    void anOverlongResponseCancelsTheExchange() {
        sasl.responseExpected();

        assertThat(sasl.respond(new OverlongLine(limits.saslLineOctets()), named::add)).isEqualTo("*");
        assertThat(named).isEmpty();
    }

    @Test
    void aResponseWithAControlCharacterCancelsTheExchange() {
        sasl.responseExpected();

        assertThat(sasl.respond(new Pop3Command("dGVzdA==\0QUIT"), named::add)).isEqualTo("*");
    }

    @Test
    void theEndRestoresTheCommandLineLimitAndForgetsTheIdentity() {
        sasl.watch(new SaslIdentity("LOGIN"));
        sasl.responseExpected();
        sasl.end();

        assertThat(sasl.inProgress()).isFalse();
        assertThat(lineLimits).containsExactly(limits.saslLineOctets(), limits.commandLineOctets());
        sasl.responseExpected();
        sasl.respond(new Pop3Command(base64("bob")), named::add);
        assertThat(named).isEmpty();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

package org.popbridge.proxy.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.popbridge.proxy.core.session.RootCause;

/** The words the audit log's summary uses for how a session ended. */
class SessionEndTest {

    @Test
    void upstreamFailuresAreNamedInWords() {
        assertThat(SessionEnd.upstream(UpstreamFailure.TIMED_OUT).text()).isEqualTo("upstream timed out");
        assertThat(SessionEnd.upstream(UpstreamFailure.LOST).text()).isEqualTo("upstream lost");
    }

    @Test
    void aSessionClosedByTheProxySaysWhy() {
        assertThat(SessionEnd.closedWith("Disconnected for inactivity").text()).isEqualTo("Disconnected for inactivity");
        assertThat(SessionEnd.closedMidReply("a filter failed").text()).isEqualTo("closed mid-reply: a filter failed");
    }

    @Test
    void theClientsOwnEndings() {
        assertThat(SessionEnd.QUIT.text()).isEqualTo("QUIT");
        assertThat(SessionEnd.CLIENT_DISCONNECTED.text()).isEqualTo("client disconnected");
        assertThat(SessionEnd.CLIENT_FAILED.text()).isEqualTo("client connection failed");
    }

    @Test
    void theRootCauseIsWhatTheLogNames() {
        Exception cause = new IllegalStateException("wrapped", new java.io.IOException("Connection reset"));

        assertThat(RootCause.describe(cause)).isEqualTo("IOException: Connection reset");
        assertThat(RootCause.describe(new RuntimeException())).isEqualTo("RuntimeException");
        assertThat(RootCause.describe(null)).isEqualTo("unknown cause");
    }
}

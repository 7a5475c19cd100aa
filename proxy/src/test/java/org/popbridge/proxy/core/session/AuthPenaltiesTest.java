package org.popbridge.proxy.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failed logins per address: the delay doubles, is capped, is forgotten after a quiet spell, and is per address. */
class AuthPenaltiesTest {

    private static final Duration BASE = Duration.ofSeconds(2);
    private final AuthPenalties penalties = new AuthPenalties();

    @Test
    void eachFailureFromAnAddressDoublesItsNextDelayUpToTheCap() throws Exception {
        InetAddress guesser = InetAddress.getByName("192.0.2.7");
        long now = 0;
        assertThat(penalties.failed(guesser, BASE, now)).isEqualTo(Duration.ofSeconds(2));
        assertThat(penalties.failed(guesser, BASE, now += 1)).isEqualTo(Duration.ofSeconds(4));
        assertThat(penalties.failed(guesser, BASE, now += 1)).isEqualTo(Duration.ofSeconds(8));
        assertThat(penalties.failed(guesser, BASE, now += 1)).isEqualTo(AuthPenalties.MAX_DELAY);
        assertThat(penalties.failed(guesser, BASE, now += 1)).isEqualTo(AuthPenalties.MAX_DELAY);
        // Another address is not slowed by this one.
        assertThat(penalties.failed(InetAddress.getByName("192.0.2.8"), BASE, now)).isEqualTo(BASE);
    }

    @Test
    void aQuietAddressIsForgottenAndASuccessForgivesIt() throws Exception {
        InetAddress user = InetAddress.getByName("198.51.100.1");
        penalties.failed(user, BASE, 0);
        assertThat(penalties.failed(user, BASE, 1)).isEqualTo(Duration.ofSeconds(4));
        long later = AuthPenalties.MEMORY.toNanos() + 10;
        assertThat(penalties.failed(user, BASE, later)).isEqualTo(BASE);
        penalties.succeeded(user);
        assertThat(penalties.failed(user, BASE, later + 1)).isEqualTo(BASE);
    }
}

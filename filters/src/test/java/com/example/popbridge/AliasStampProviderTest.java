package com.example.popbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.ChainOutcome;
import org.popbridge.filters.FailurePolicy;
import org.popbridge.filters.FilterChain;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/** The README's third-party filter, written with nothing but the filters module, works as documented. */
class AliasStampProviderTest {

    private static ChainOutcome run(String headers) {
        FilterChain chain = new FilterChain(List.of(new FilterChain.Entry("alias-stamp", new AliasStampProvider()
                .configure(FilterSettings.of(Map.of("alias", "Sales@Example.com"), "/filters/0/alias-stamp")))),
                FailurePolicy.OPEN, Duration.ofSeconds(1));
        return chain.start(MessageInfo.offline(100), Runnable::run)
                .headers(HeaderBlock.parse(headers.getBytes(StandardCharsets.ISO_8859_1)))
                .toCompletableFuture().join();
    }

    @Test
    void mailToTheAliasIsStamped() {
        ChainOutcome outcome = run("To: Team <sales@example.com>\r\nSubject: order\r\n\r\n");
        assertThat(new String(outcome.headers().toBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("To: Team <sales@example.com>\r\nSubject: order\r\nX-Alias: sales@example.com\r\n\r\n");
        assertThat(outcome.findings()).extracting(Object::toString).containsExactly("alias-stamp: sent to sales@example.com");
    }

    @Test
    void otherMailIsUntouched() {
        String headers = "To: someone@example.com\r\nSubject: hi\r\n\r\n";
        assertThat(run(headers).headers().toBytes()).isEqualTo(headers.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aMisspeltSettingIsRefusedWithItsPointer() {
        assertThatThrownBy(() -> new AliasStampProvider().configure(
                FilterSettings.of(Map.of("alias", "a@b", "haeder", "X"), "/filters/2/alias-stamp")))
                .isInstanceOf(FilterConfigException.class)
                .extracting(e -> ((FilterConfigException) e).pointer()).isEqualTo("/filters/2/alias-stamp/haeder");
    }
}

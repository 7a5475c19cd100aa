package org.popbridge.proxy.upstream.imap.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FetchTextRepairTest {

    @Test
    void insertsTheMissingSpaceBeforeAPartialLiteral() {
        String repaired = FetchTextRepair.repair("* 1 FETCH (UID 1 BODY[TEXT]<0>{12}");
        assertThat(repaired).isEqualTo("* 1 FETCH (UID 1 BODY[TEXT]<0> {12}");
        assertThat(ImapResponseParser.fetch(repaired).pendingLiteral()).get()
                .extracting(FetchResponse.FetchLiteral::item).isEqualTo("BODY[TEXT]<0>");
    }

    @Test
    void leavesCorrectTextAlone() {
        String text = "* 1 FETCH (UID 1 BODY[TEXT]<0> {12}";
        assertThat(FetchTextRepair.repair(text)).isSameAs(text);
    }
}

package org.popbridge.filters.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.popbridge.filters.rules.Mail.headers;
import static org.popbridge.filters.rules.Mail.map;
import static org.popbridge.filters.rules.Mail.text;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.popbridge.filters.ConfiguredFilter;
import org.popbridge.filters.FilterConfigException;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.Verdict;

/** The headers filter: remove, rename, set, add, in that order, always or by rule. */
class HeadersFilterTest {

    private static final String ROOT = "/filters/0/headers";

    private static ConfiguredFilter filter(Map<String, Object> settings) {
        return Filters.configure(new HeadersProvider(), settings);
    }

    @Test
    void removeRenameAndAddAreAppliedAndReported() {
        HeaderBlock block = headers("X-Internal-Trace: 1", "X-Original-To: me@home.example", "Subject: hi",
                "x-internal-trace: 2");
        Verdict verdict = Filters.run(filter(map(
                "remove", List.of("X-Internal-Trace"),
                "rename", map("X-Original-To", "X-Popbridge-Original-To"),
                "add", map("X-Popbridge", "filtered"))), block, 10);

        assertThat(text(block)).isEqualTo("X-Popbridge-Original-To: me@home.example\r\nSubject: hi\r\n"
                + "X-Popbridge: filtered\r\n\r\n");
        assertThat(verdict.action()).isEqualTo(Verdict.Action.DELIVER);
        assertThat(verdict.findings()).containsExactly("removed X-Internal-Trace (2)",
                "renamed X-Original-To to X-Popbridge-Original-To (1)", "added X-Popbridge");
    }

    @Test
    void editsRunInTheDocumentedOrderWhateverTheConfigOrder() {
        // add comes last, so the field just added is not removed or renamed.
        HeaderBlock block = headers("X-Old: 1");
        Filters.run(filter(map(
                "add", map("X-Old", "added", "X-Tmp", "added"),
                "rename", map("X-Old", "X-Tmp"),
                "remove", "X-Tmp")), block, 10);
        assertThat(text(block)).isEqualTo("X-Tmp: 1\r\nX-Old: added\r\nX-Tmp: added\r\n\r\n");
    }

    @Test
    void setReplacesInPlaceAndIsReportedOnlyWhenSomethingChanged() {
        ConfiguredFilter filter = filter(map("set", map("X-Mode", "strict")));
        HeaderBlock block = headers("X-Mode: lax", "Subject: s", "X-Mode: other");
        assertThat(Filters.run(filter, block, 10).findings()).containsExactly("set X-Mode");
        assertThat(text(block)).isEqualTo("X-Mode: strict\r\nSubject: s\r\n\r\n");

        assertThat(Filters.run(filter, block, 10).findings()).isEmpty();
        assertThat(text(block)).isEqualTo("X-Mode: strict\r\nSubject: s\r\n\r\n");
    }

    @Test
    void nothingToRemoveOrRenameReportsNothing() {
        HeaderBlock block = headers("Subject: s");
        Verdict verdict = Filters.run(filter(map("remove", "X-Gone", "rename", map("X-A", "X-B"))), block, 10);
        assertThat(verdict.findings()).isEmpty();
        assertThat(text(block)).isEqualTo("Subject: s\r\n\r\n");
    }

    @Test
    void rulesEditOnlyWhenTheirConditionHolds() {
        ConfiguredFilter filter = filter(map(
                "remove", "List-Id",
                "rules", List.of(map("when", map("header", "List-Id", "exists", "true"),
                        "add", map("X-Mailing-List", "yes")))));

        HeaderBlock list = headers("List-Id: <dev.lists.example>", "Subject: s");
        Verdict verdict = Filters.run(filter, list, 10);
        // The rule sees the headers as they came, before this filter removed List-Id.
        assertThat(text(list)).isEqualTo("Subject: s\r\nX-Mailing-List: yes\r\n\r\n");
        assertThat(verdict.findings()).containsExactly("removed List-Id (1)",
                "added X-Mailing-List (when header List-Id exists)");

        HeaderBlock personal = headers("Subject: s");
        assertThat(Filters.run(filter, personal, 10).findings()).isEmpty();
        assertThat(text(personal)).isEqualTo("Subject: s\r\n\r\n");
    }

    @Test
    void nonAsciiValuesAreWrittenAsUtf8() {
        HeaderBlock block = headers("Subject: s");
        Filters.run(filter(map("add", map("X-Note", "gepr\u00fcft"))), block, 10);
        assertThat(block.first("X-Note")).contains("gepr\u00c3\u00bcft");
    }

    private static void rejects(Map<String, Object> settings, String pointer, String problem) {
        assertThatThrownBy(() -> filter(settings))
                .isInstanceOf(FilterConfigException.class)
                .hasFieldOrPropertyWithValue("pointer", pointer)
                .hasFieldOrPropertyWithValue("problem", problem);
    }

    @Test
    void badNamesAndValuesStopTheStart() {
        rejects(map("remove", List.of("X-Ok", "Bad Name")), ROOT + "/remove/1", "not an RFC 5322 field name: \"Bad Name\"");
        rejects(map("rename", map("X-A", "X:B")), ROOT + "/rename/X-A", "not an RFC 5322 field name: \"X:B\"");
        rejects(map("add", map("X-A", "one\r\nBcc: victim@example.org")), ROOT + "/add/X-A",
                "header value holds CR or LF at index 3");
        rejects(map("set", map("X-A", "one\ntwo")), ROOT + "/set/X-A", "header value holds CR or LF at index 3");
        rejects(map("rules", List.of(map("when", map("header", "X", "exists", "true"), "add", map("X-A:", "1")))),
                ROOT + "/rules/0/add/X-A:", "not an RFC 5322 field name: \"X-A:\"");
    }

    @Test
    void emptyOrMisspeltConfigsStopTheStart() {
        rejects(map(), ROOT, "has nothing to do; give remove, rename, set, add or rules");
        rejects(map("append", map("X-A", "1")), ROOT + "/append",
                "unknown setting; expected one of remove, rename, set, add, rules");
        rejects(map("rules", List.of(map("when", map("header", "X", "exists", "true")))), ROOT + "/rules/0",
                "has no edit; give remove, rename, set or add");
        rejects(map("rules", List.of(map("add", map("X-A", "1")))), ROOT + "/rules/0/when", "is required");
    }
}

package org.popbridge.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How test-rules splits a saved message and sizes it as a POP3 server would. */
class MessageFileTest {

    private static byte[] octets(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CRLF lines      | A: 1\\r\\nB: 2\\r\\n\\r\\nbody\\r\\n | A: 1\\r\\nB: 2\\r\\n\\r\\n | body\\r\\n     | 20",
            "LF lines        | A: 1\\nB: 2\\n\\nbody\\n             | A: 1\\nB: 2\\n\\n             | body\\n         | 20",
            "mixed           | A: 1\\r\\nB: 2\\n\\r\\nbody\\n        | A: 1\\r\\nB: 2\\n\\r\\n        | body\\n         | 20",
            "blank line in body | A: 1\\n\\nx\\n\\ny\\n              | A: 1\\n\\n                    | x\\n\\ny\\n       | 16",
            "only headers    | A: 1\\nB: 2\\n                   | A: 1\\nB: 2\\n                 | ''              | 12",
            "last line cut   | A: 1\\nB: 2                      | A: 1\\nB: 2                    | ''              | 10",
            "no headers      | \\nbody\\n                         | \\n                             | body\\n         | 8",
            "CR alone is not a line end | A: 1\\r\\rB\\n\\nb            | A: 1\\r\\rB\\n\\n             | b               | 12",
    })
    void theHeaderBlockEndsAfterTheFirstBlankLineAndBareLfCountsAsCrlf(String name, String message, String headers,
                                                                       String body, long size) {
        MessageFile file = MessageFile.of(octets(message.strip()));

        assertThat(file.headers()).isEqualTo(octets(headers.strip()));
        assertThat(file.body()).isEqualTo(octets(body.strip()));
        assertThat(file.size()).isEqualTo(size);
    }
}

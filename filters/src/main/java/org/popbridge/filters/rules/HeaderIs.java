package org.popbridge.filters.rules;

import java.util.List;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/**
 * {@code { header: X-Spam-Flag, is: YES }}: some occurrence of the header, unfolded and trimmed,
 * equals one of the texts, US-ASCII letters compared without case.
 *
 * @param header the field name
 * @param texts the texts as written in the config
 */
public record HeaderIs(String header, List<String> texts) implements Condition {

    public HeaderIs {
        texts = List.copyOf(texts);
    }

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        for (String value : headers.all(header)) {
            String seen = AsciiCase.lower(value.trim());
            for (String text : texts) {
                if (seen.equals(AsciiCase.lower(Utf8Octets.of(text).trim()))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "header " + header + " is " + Texts.alternatives(texts);
    }
}

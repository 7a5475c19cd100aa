package org.popbridge.filters.rules;

import java.util.List;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/**
 * {@code { header: Subject, contains: lottery }}: some occurrence of the header, unfolded,
 * contains one of the texts, US-ASCII letters compared without case.
 *
 * @param header the field name
 * @param texts the texts as written in the config, none empty
 */
public record HeaderContains(String header, List<String> texts) implements Condition {

    public HeaderContains {
        texts = List.copyOf(texts);
    }

    @Override
    public boolean test(HeaderBlock headers, MessageInfo message, Deadline deadline) {
        for (String value : headers.all(header)) {
            String seen = AsciiCase.lower(value);
            for (String text : texts) {
                if (seen.contains(AsciiCase.lower(Utf8Octets.of(text)))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "header " + header + " contains " + Texts.alternatives(texts);
    }
}

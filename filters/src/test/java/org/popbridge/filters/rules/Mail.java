package org.popbridge.filters.rules;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.popbridge.filters.FilterSettings;
import org.popbridge.filters.HeaderBlock;
import org.popbridge.filters.MessageInfo;

/** Test shorthand for header blocks and config maps. */
public final class Mail {

    private Mail() {}

    /** A header block of the given field lines, each ended with CRLF, and the blank line. */
    public static HeaderBlock headers(String... fields) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            text.append(field).append("\r\n");
        }
        return HeaderBlock.parse(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The block's octets as text, one char per octet. */
    public static String text(HeaderBlock block) {
        return new String(block.toBytes(), StandardCharsets.ISO_8859_1);
    }

    /** A map in the order the keys are given, as a config file keeps them. */
    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A message of unknown size. */
    public static MessageInfo unsized() {
        return MessageInfo.offline(-1);
    }

    /** Settings rooted where the first hide filter's condition would stand. */
    public static FilterSettings condition(Object... keysAndValues) {
        return FilterSettings.of(map(keysAndValues), "/filters/0/hide/when");
    }

    /** Parses the condition and tests it on the headers of a message of unknown size. */
    public static boolean matches(Map<String, Object> condition, HeaderBlock headers) {
        return Conditions.parse(FilterSettings.of(condition, "/c")).test(headers, unsized());
    }
}

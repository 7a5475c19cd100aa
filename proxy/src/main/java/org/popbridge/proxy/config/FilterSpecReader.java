package org.popbridge.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.popbridge.filters.FilterConfigException;

/**
 * Reads one item of {@code filters:} from the parser's tokens rather than a bound tree, because
 * only the tokens keep a scalar's text: a tree would turn {@code is: YES} into "true" and
 * {@code score: 5.50} into "5.5". A YAML null is left out, as if the key were not there.
 */
final class FilterSpecReader extends JsonDeserializer<FilterSpec> {

    private static final String EXAMPLE = "such as \"- log: {}\"";

    @Override
    public FilterSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String item = pointer(parser);
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new FilterConfigException(item, parser.currentToken().isScalarValue()
                    ? "write a filter as its name and its settings, as \"- " + parser.getText() + ": {}\""
                    : "must be a filter name and its settings, " + EXAMPLE);
        }
        String name = parser.nextFieldName();
        if (name == null) {
            throw new FilterConfigException(item, "names no filter; write its name and its settings, " + EXAMPLE);
        }
        String settingsPointer = pointer(parser);
        JsonToken value = parser.nextToken();
        Map<String, Object> settings;
        if (value == JsonToken.VALUE_NULL) {
            settings = Map.of();
        } else if (value == JsonToken.START_OBJECT) {
            settings = readMap(parser);
        } else {
            throw new FilterConfigException(settingsPointer, "must be the filter's settings as 'key: value' lines, "
                    + "or {} for none");
        }
        String another = parser.nextFieldName();
        if (another != null) {
            throw new FilterConfigException(pointer(parser), "a second key in one item: each item is one filter, "
                    + "and its settings go indented under its name");
        }
        return new FilterSpec(name, settings, settingsPointer);
    }

    private static Object readValue(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return readMap(parser);
        }
        if (token == JsonToken.START_ARRAY) {
            return readList(parser);
        }
        return token == JsonToken.VALUE_NULL ? null : parser.getText();
    }

    private static Map<String, Object> readMap(JsonParser parser) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
            parser.nextToken();
            Object value = readValue(parser);
            if (value != null) {
                map.put(key, value);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static List<Object> readList(JsonParser parser) throws IOException {
        // A null item stays, so the items after it keep the index the file gives them.
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(readValue(parser));
        }
        return Collections.unmodifiableList(list);
    }

    private static String pointer(JsonParser parser) {
        return parser.getParsingContext().pathAsPointer().toString();
    }
}

package org.popbridge.proxy.upstream.imap.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the responses popbridge acts on (RFC 9051 section 7) from their text: a
 * {@link ResponseLine}'s text, or for a response with literals the texts of its lines
 * joined, where each literal stands as its announcement. Malformed text of a known
 * response throws {@link ImapSyntaxException}; unknown responses come back as
 * {@link UnparsedResponse}.
 */
public final class ImapResponseParser {

    private ImapResponseParser() {
    }

    public static ImapResponse parse(String text) {
        if (text.equals("+") || text.startsWith("+ ")) {
            return continuation(text);
        }
        ImapTextReader reader = new ImapTextReader(text);
        String tag = reader.word();
        if (reader.atEnd()) {
            throw reader.error("response without a condition or data");
        }
        reader.space();
        if (!tag.equals(StatusResponse.UNTAGGED)) {
            String condition = reader.word().toUpperCase(Locale.ROOT);
            if (!condition.equals("OK") && !condition.equals("NO") && !condition.equals("BAD")) {
                throw reader.error("tagged response with condition " + condition);
            }
            return status(tag, StatusResponse.Condition.valueOf(condition), reader);
        }
        if (reader.atDigit()) {
            return messageData(text, reader);
        }
        String keyword = reader.word().toUpperCase(Locale.ROOT);
        switch (keyword) {
            case "OK", "NO", "BAD", "PREAUTH", "BYE":
                return status(tag, StatusResponse.Condition.valueOf(keyword), reader);
            case "CAPABILITY":
                return Capabilities.parse(reader.rest());
            case "ENABLED":
                return new EnabledResponse(Capabilities.parse(reader.rest()));
            case "VANISHED":
                return vanished(reader);
            case "SEARCH":
                return search(reader);
            default:
                return new UnparsedResponse(text);
        }
    }

    /** The FETCH response in {@code text}, which may end in a literal announcement. */
    public static FetchResponse fetch(String text) {
        ImapResponse response = parse(text);
        if (response instanceof FetchResponse fetch) {
            return fetch;
        }
        throw new ImapSyntaxException("not a FETCH response");
    }

    /** "+ [code] text" (RFC 9051 section 7.6). */
    private static ContinuationRequest continuation(String text) {
        ImapTextReader reader = new ImapTextReader(text);
        reader.expect('+');
        reader.tryChar(' ');
        Optional<ResponseCode> code = responseCode(reader);
        return new ContinuationRequest(code, reader.rest());
    }

    /** resp-text after the condition: an optional "[code]" and the human-readable text. */
    private static StatusResponse status(String tag, StatusResponse.Condition condition, ImapTextReader reader) {
        if (reader.atEnd()) {
            return new StatusResponse(tag, condition, Optional.empty(), "");
        }
        reader.space();
        Optional<ResponseCode> code = responseCode(reader);
        return new StatusResponse(tag, condition, code, reader.rest());
    }

    private static Optional<ResponseCode> responseCode(ImapTextReader reader) {
        if (!reader.tryChar('[')) {
            return Optional.empty();
        }
        String name = reader.word();
        String arguments = "";
        if (reader.tryChar(' ')) {
            // resp-text-code arguments are 1*<TEXT-CHAR except "]"> (RFC 9051 section 9).
            arguments = reader.until(']');
        }
        reader.expect(']');
        reader.tryChar(' ');
        return Optional.of(new ResponseCode(name, arguments));
    }

    /** "* n KEYWORD ...": EXISTS, EXPUNGE and FETCH; RECENT and others are left unparsed. */
    private static ImapResponse messageData(String text, ImapTextReader reader) {
        long number = reader.number();
        reader.space();
        String keyword = reader.word().toUpperCase(Locale.ROOT);
        switch (keyword) {
            case "EXISTS":
                return new ExistsResponse(number);
            case "EXPUNGE":
                return new ExpungeResponse(nonZero(number, reader));
            case "FETCH":
                return fetchItems(nonZero(number, reader), reader);
            default:
                return new UnparsedResponse(text);
        }
    }

    private static FetchResponse fetchItems(long messageNumber, ImapTextReader reader) {
        OptionalLong uid = OptionalLong.empty();
        OptionalLong size = OptionalLong.empty();
        Optional<List<String>> flags = Optional.empty();
        List<FetchResponse.FetchLiteral> literals = new ArrayList<>();
        reader.space();
        reader.expect('(');
        if (reader.tryChar(')')) {
            return new FetchResponse(messageNumber, uid, size, flags, literals, Optional.empty());
        }
        while (true) {
            String item = reader.itemName().toUpperCase(Locale.ROOT);
            reader.space();
            if (item.equals("UID")) {
                uid = OptionalLong.of(nonZero(reader.number(), reader));
            } else if (item.equals("RFC822.SIZE")) {
                size = OptionalLong.of(reader.number());
            } else if (item.equals("FLAGS")) {
                flags = Optional.of(flagList(reader));
            } else {
                boolean topLevelLiteral = reader.atLiteral();
                reader.skipValue();
                if (topLevelLiteral) {
                    literals.add(new FetchResponse.FetchLiteral(item, reader.lastLiteralSize()));
                }
                if (reader.endedInLiteral()) {
                    FetchResponse.FetchLiteral pending = new FetchResponse.FetchLiteral(item, reader.lastLiteralSize());
                    return new FetchResponse(messageNumber, uid, size, flags, literals, Optional.of(pending));
                }
            }
            if (reader.tryChar(')')) {
                if (!reader.atEnd()) {
                    throw reader.error("text after the FETCH item list");
                }
                return new FetchResponse(messageNumber, uid, size, flags, literals, Optional.empty());
            }
            reader.space();
        }
    }

    /** "(" [flag *(SP flag)] ")" (RFC 9051 section 9). */
    private static List<String> flagList(ImapTextReader reader) {
        List<String> flags = new ArrayList<>();
        reader.expect('(');
        while (!reader.tryChar(')')) {
            if (!flags.isEmpty()) {
                reader.space();
            }
            flags.add(reader.word());
        }
        return flags;
    }

    private static VanishedResponse vanished(ImapTextReader reader) {
        reader.space();
        boolean earlier = false;
        if (reader.tryChar('(')) {
            String tag = reader.word();
            if (!tag.equalsIgnoreCase("EARLIER")) {
                throw reader.error("VANISHED with (" + tag + ")");
            }
            reader.expect(')');
            reader.space();
            earlier = true;
        }
        return new VanishedResponse(earlier, UidSet.parse(reader.rest().trim()));
    }

    private static SearchResponse search(ImapTextReader reader) {
        List<Long> numbers = new ArrayList<>();
        while (!reader.atEnd()) {
            reader.space();
            if (reader.atEnd() || reader.peek() == '(') {
                break;
            }
            numbers.add(nonZero(reader.number(), reader));
        }
        return new SearchResponse(numbers);
    }

    private static long nonZero(long number, ImapTextReader reader) {
        if (number == 0) {
            throw reader.error("0 where a nz-number belongs");
        }
        return number;
    }
}

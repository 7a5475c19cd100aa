package org.popbridge.proxy.upstream.imap.client;

import java.util.regex.Pattern;

/**
 * Puts back the SP that GreenMail leaves out between a partial fetch item and its literal
 * ("BODY[TEXT]&lt;0&gt;{12}" for "BODY[TEXT]&lt;0&gt; {12}", RFC 9051 section 7.5.2 has the SP),
 * which {@link ImapResponseParser} rightly rejects. Only that exact shape is touched.
 */
final class FetchTextRepair {

    private static final Pattern PARTIAL_THEN_LITERAL = Pattern.compile("(\\][<][0-9]+[>])(~?\\{[0-9]+\\})");

    private FetchTextRepair() {
    }

    static String repair(String text) {
        if (text.indexOf(">{") < 0 && text.indexOf(">~{") < 0) {
            return text;
        }
        return PARTIAL_THEN_LITERAL.matcher(text).replaceAll("$1 $2");
    }
}

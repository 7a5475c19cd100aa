package org.popbridge.proxy.smtp.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The service extensions a submission server announced in its EHLO reply (RFC 5321 section
 * 4.1.1.1): keyword and parameters, by keyword. What popbridge offers its clients is derived
 * from these, never from a list kept by hand.
 */
public record ServerExtensions(Map<String, String> byKeyword) {

    /** Nothing known yet: no server has been logged in to. */
    public static final ServerExtensions UNKNOWN = new ServerExtensions(Map.of());

    public ServerExtensions {
        byKeyword = Map.copyOf(byKeyword);
    }

    /** From the lines of a 250 reply to EHLO; the first line is the server's greeting, not an extension. */
    public static ServerExtensions fromEhlo(List<String> lines) {
        Map<String, String> extensions = new LinkedHashMap<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                continue;
            }
            int space = stripped.indexOf(' ');
            String keyword = (space < 0 ? stripped : stripped.substring(0, space)).toUpperCase(Locale.ROOT);
            extensions.putIfAbsent(keyword, space < 0 ? "" : stripped.substring(space + 1).strip());
        }
        return new ServerExtensions(extensions);
    }

    public boolean has(String keyword) {
        return byKeyword.containsKey(keyword);
    }

    public boolean known() {
        return !byKeyword.isEmpty();
    }

    /** The AUTH mechanisms offered, upper case. */
    public List<String> authMechanisms() {
        String mechanisms = byKeyword.get("AUTH");
        return mechanisms == null || mechanisms.isBlank() ? List.of()
                : List.of(mechanisms.toUpperCase(Locale.ROOT).split(" +"));
    }

    /** The SIZE limit (RFC 1870), if the server gave one; 0 means no fixed limit. */
    public OptionalLong size() {
        String size = byKeyword.get("SIZE");
        if (size == null) {
            return OptionalLong.empty();
        }
        try {
            return size.isEmpty() ? OptionalLong.of(0) : OptionalLong.of(Long.parseLong(size));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}

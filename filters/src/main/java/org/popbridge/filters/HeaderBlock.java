package org.popbridge.filters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The header block of a message (RFC 5322 section 2.2): its fields in order, with their
 * original spelling, folding and octets, and the blank line that ends it.
 *
 * <p>Edits change only the fields they touch; every other octet is written back as received,
 * so an unedited block gives back exactly the octets it was parsed from. Names and values are
 * octet strings (one char per octet, ISO-8859-1), the same when read and when written. Lines
 * that are not fields, such as an mbox "From " line, are kept in place but not listed.
 *
 * <p>Not thread-safe: a block belongs to the one message a filter is working on.
 */
public final class HeaderBlock {

    private final List<HeaderEntry> entries;
    private final String blankLine;
    private final String lineEnd;

    private HeaderBlock(HeaderParser.Parsed parsed) {
        this(parsed.entries(), parsed.blankLine(), parsed.lineEnd());
    }

    private HeaderBlock(List<HeaderEntry> entries, String blankLine, String lineEnd) {
        this.entries = new ArrayList<>(entries);
        this.blankLine = blankLine;
        this.lineEnd = lineEnd;
    }

    /**
     * Parses the header block as received, up to and including the blank line that ends it
     * (RFC 5322 section 2.2, 3.5); CRLF and bare LF line ends are both accepted and kept.
     * A block without the blank line (a message that is only headers) is accepted.
     *
     * @throws IllegalArgumentException if octets follow the blank line
     */
    public static HeaderBlock parse(byte[] octets) {
        Objects.requireNonNull(octets, "octets");
        return new HeaderBlock(HeaderParser.parse(octets));
    }

    /**
     * An independent copy: edits to either do not reach the other. The chain gives each filter
     * a copy, so a filter that fails is skipped whole, edits included.
     */
    public HeaderBlock copy() {
        return new HeaderBlock(entries, blankLine, lineEnd);
    }

    /** The octets of the block as it stands: the input octets exactly if nothing was changed. */
    public byte[] toBytes() {
        StringBuilder out = new StringBuilder(size());
        for (HeaderEntry entry : entries) {
            out.append(entry.raw());
        }
        return out.append(blankLine).toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The length in octets of {@link #toBytes()}, as LIST and STAT must report it (RFC 1939 section 5). */
    public int size() {
        int size = blankLine.length();
        for (HeaderEntry entry : entries) {
            size += entry.raw().length();
        }
        return size;
    }

    /** Whether the block ended with the blank line that separates it from the body (RFC 5322 section 2.1). */
    public boolean terminated() {
        return !blankLine.isEmpty();
    }

    /** The fields in message order (RFC 5322 section 3.6: order is significant for trace fields). */
    public List<HeaderField> fields() {
        List<HeaderField> fields = new ArrayList<>();
        for (HeaderEntry entry : entries) {
            if (entry instanceof HeaderField field) {
                fields.add(field);
            }
        }
        return List.copyOf(fields);
    }

    /** The unfolded value of the first field named {@code name}, case-insensitively (RFC 5322 section 3.2.2). */
    public Optional<String> first(String name) {
        Objects.requireNonNull(name, "name");
        for (HeaderEntry entry : entries) {
            if (entry instanceof HeaderField field && field.hasName(name)) {
                return Optional.of(field.value());
            }
        }
        return Optional.empty();
    }

    /** The unfolded values of every field named {@code name}, case-insensitively, in message order. */
    public List<String> all(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = new ArrayList<>();
        for (HeaderEntry entry : entries) {
            if (entry instanceof HeaderField field && field.hasName(name)) {
                values.add(field.value());
            }
        }
        return List.copyOf(values);
    }

    /**
     * Appends {@code name: value} after the last field, before the blank line, with the block's
     * line end (RFC 5322 section 3.6.8). If the last line had no line end, it gets one first.
     *
     * @throws IllegalArgumentException if name is not a field name or value holds CR or LF
     */
    public void add(String name, String value) {
        HeaderField field = HeaderField.of(name, value, lineEnd);
        int last = entries.size() - 1;
        if (last >= 0 && !entries.get(last).raw().endsWith("\n")) {
            // Without a line end the new field would run on into the last line's value.
            HeaderEntry cut = entries.get(last);
            String ended = cut.raw() + lineEnd;
            entries.set(last, cut instanceof HeaderField ? new HeaderField(ended) : new NonFieldLine(ended));
        }
        entries.add(field);
    }

    /** Removes every field named {@code name}, case-insensitively. */
    public void remove(String name) {
        HeaderField.requireFieldName(name);
        entries.removeIf(entry -> entry instanceof HeaderField field && field.hasName(name));
    }

    /**
     * Renames every field named {@code from}, case-insensitively, to {@code to}; the colon,
     * the value and its folding keep their octets.
     *
     * @throws IllegalArgumentException if either name is not a field name
     */
    public void rename(String from, String to) {
        HeaderField.requireFieldName(from);
        HeaderField.requireFieldName(to);
        entries.replaceAll(entry -> entry instanceof HeaderField field && field.hasName(from) ? field.renamed(to) : entry);
    }

    /**
     * Puts {@code prefix} before the value of the first field named {@code name}, keeping that
     * field's folding and line end (a tag on a folded Subject must not unfold it); appends
     * {@code name: prefix} if there is none.
     *
     * @throws IllegalArgumentException if name is not a field name or prefix holds CR or LF
     */
    public void prefixFirst(String name, String prefix) {
        HeaderField.requireFieldName(name);
        HeaderField.requireValue(prefix);
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof HeaderField field && field.hasName(name)) {
                entries.set(i, field.prefixed(prefix));
                return;
            }
        }
        add(name, prefix.strip());
    }

    /**
     * Replaces the first field named {@code name} with {@code name: value} in its place, keeping
     * its line end, and removes the others; appends the field if there is none.
     *
     * @throws IllegalArgumentException if name is not a field name or value holds CR or LF
     */
    public void set(String name, String value) {
        HeaderField.requireFieldName(name);
        HeaderField.requireValue(value);
        int first = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof HeaderField field && field.hasName(name)) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            add(name, value);
            return;
        }
        HeaderField replaced = (HeaderField) entries.get(first);
        entries.set(first, HeaderField.of(name, value, replaced.lineEnd()));
        for (int i = entries.size() - 1; i > first; i--) {
            if (entries.get(i) instanceof HeaderField field && field.hasName(name)) {
                entries.remove(i);
            }
        }
    }
}

package org.popbridge.filters;

/**
 * A line of the header block that is not a field: an mbox "From " line, a line without a colon,
 * or a continuation line with no field before it. Kept only so the block round-trips exactly.
 */
record NonFieldLine(String raw) implements HeaderEntry {}

package org.popbridge.filters;

/**
 * One entry of a header block: a field, or a line that is not one. Sealed so that the block
 * can keep lines it does not understand in place and still write back every octet.
 */
sealed interface HeaderEntry permits HeaderField, NonFieldLine {

    /** The exact octets of the entry, one char per octet (ISO-8859-1), line end included. */
    String raw();
}

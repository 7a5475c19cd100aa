/**
 * What the protocol codecs share about octets: command lines found within their limit, a line
 * read as text, and the searches run over every octet of a message body, done faster than
 * netty's general-purpose ones where the buffer's memory can be read directly.
 */
package org.popbridge.proxy.core.octets;

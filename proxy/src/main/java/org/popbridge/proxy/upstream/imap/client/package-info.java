/**
 * An IMAP client (RFC 9051, RFC 3501) for one POP3 session: the link and its command queue,
 * the response decoder and parser, and the responses popbridge acts on; literals are streamed.
 */
package org.popbridge.proxy.upstream.imap.client;

/**
 * Reaching a mail server: its endpoint and scheme (POP3 or IMAP, plain, STLS/STARTTLS or implicit TLS),
 * the verified TLS towards it, and the connector that opens it on the client's own event loop.
 */
package org.popbridge.proxy.core.upstream;

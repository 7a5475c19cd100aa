/**
 * Reaching a mail server: its endpoint and scheme (POP3 or IMAP, plain, STLS/STARTTLS or implicit TLS),
 * the verified TLS towards it (its sessions resumed and counted, new or resumed), the connector that opens it on the client's own event loop, and what
 * the server is told of the real client (a PROXY header, or the protocol's own way); and what went
 * wrong reaching it, in one sentence with the fix (UpstreamProblem), for sessions, the start-up
 * warning and {@code check-config --probe}, whose visits build on UpstreamProbe.
 */
package org.popbridge.proxy.core.upstream;

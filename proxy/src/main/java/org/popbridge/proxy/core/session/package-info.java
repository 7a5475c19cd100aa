/**
 * What any client session has, whatever its protocol: the listener's settings, the session limits,
 * the octet counter and failure descriptions for the log, where the client is (its peer, or
 * what a trusted load balancer's PROXY header says), and what the log may show of a client:
 * LogText (the one renderer of client and server text, escaped and capped) and the masks of its
 * lines (CommandMask for a protocol's commands, SessionMask for one session's lines, MaskedLine);
 * and the limits on clients: ClientLimits, the ConnectionGuard that counts each connection and
 * starts the login clock, AuthPenalties per address and UserSessions per session; and the fields
 * every log line of a session carries: SessionLog, put in the MDC by SessionLogScope.
 */
package org.popbridge.proxy.core.session;

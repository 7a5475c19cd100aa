/**
 * A POP3 server as the upstream: the transparent relay, and the mailbox that asks for messages by the server's own number.
 */
package org.popbridge.proxy.upstream.pop3;

/**
 * The POP3 client session: the state machine and command queue ({@link org.popbridge.proxy.pop3.session.Pop3Session}),
 * a handler per command, and the seam to upstreams ({@link org.popbridge.proxy.pop3.session.Pop3Upstream},
 * {@link org.popbridge.proxy.pop3.session.ReplyQueue}, {@link org.popbridge.proxy.pop3.session.Mailbox})
 * that every upstream adapter implements.
 */
package org.popbridge.proxy.pop3.session;

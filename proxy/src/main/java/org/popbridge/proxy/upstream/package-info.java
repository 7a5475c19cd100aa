/**
 * The upstream adapters a POP3 session talks through: a POP3 relay, a POP3-over-IMAP translation,
 * and a router by user. None depends on another.
 */
package org.popbridge.proxy.upstream;

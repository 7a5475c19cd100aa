/**
 * The POP3 protocol (RFC 1939, RFC 2449, RFC 2595, RFC 5034): the one command table ({@link org.popbridge.proxy.pop3.Pop3Verb}),
 * the states, typed commands and replies, and the codecs for both sides; nothing about sessions or upstreams.
 */
package org.popbridge.proxy.pop3;

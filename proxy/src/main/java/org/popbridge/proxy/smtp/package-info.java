/**
 * The SMTP submission protocol (RFC 5321, RFC 6409): the command table, typed commands and
 * replies, and the codecs of both legs (client commands and message data in, replies out).
 */
package org.popbridge.proxy.smtp;

/**
 * The submission adapter: relays an SMTP session to a submission server.
 */
package org.popbridge.proxy.upstream.smtp;

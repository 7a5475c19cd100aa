/**
 * The SMTP submission session: answered by popbridge until the client has logged in (greeting,
 * EHLO, STARTTLS, AUTH), relayed to the user's submission server after, message data streamed.
 */
package org.popbridge.proxy.smtp.session;

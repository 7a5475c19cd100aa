/**
 * The maildrop as the client sees it when the session numbers it (filters on, or an IMAP upstream):
 * messages numbered at login and fixed for the session, their sizes and deletion marks.
 */
package org.popbridge.proxy.pop3.maildrop;

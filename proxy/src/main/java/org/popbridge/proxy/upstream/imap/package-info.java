/**
 * An IMAP server as the upstream of a POP3 session: the login made over IMAP, the maildrop numbered
 * from a UID snapshot, messages streamed from UID FETCH, deletions applied only at QUIT.
 */
package org.popbridge.proxy.upstream.imap;

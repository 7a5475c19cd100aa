/**
 * The built-in filters, each with its provider: spam-tag (scores rules and tags the message),
 * headers (edits header fields), hide (keeps matching messages from the client), log (the audit
 * log), and for mail users send, sender-policy (only their own addresses) and rate-limit (so
 * many messages per user in a given time).
 */
package org.popbridge.filters.builtin;

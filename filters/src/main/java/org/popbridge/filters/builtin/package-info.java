/**
 * The built-in filters, each with its provider: spam-tag (scores rules and tags the message),
 * headers (edits header fields), hide (keeps matching messages from the client) and log (the audit log).
 */
package org.popbridge.filters.builtin;

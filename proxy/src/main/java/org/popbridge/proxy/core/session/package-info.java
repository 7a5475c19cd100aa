/**
 * What any client session has, whatever its protocol: the listener's settings, the session limits,
 * the octet counter and failure descriptions for the log.
 */
package org.popbridge.proxy.core.session;

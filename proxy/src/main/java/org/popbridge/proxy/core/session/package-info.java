/**
 * What any client session has, whatever its protocol: the listener's settings, the session limits,
 * the octet counter and failure descriptions for the log, and where the client is (its peer, or
 * what a trusted load balancer's PROXY header says).
 */
package org.popbridge.proxy.core.session;

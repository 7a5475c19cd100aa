/**
 * Client-facing TLS: the profiles and offers a listener makes, the certificates it serves
 * (chosen by SNI, reloaded when their files change, checked for expiry) and the TLS engines, with
 * the choice tls.engine makes between them for modern listeners and mail servers.
 */
package org.popbridge.proxy.core.tls;

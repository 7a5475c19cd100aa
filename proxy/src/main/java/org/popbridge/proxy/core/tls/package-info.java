/**
 * Client-facing TLS: the profiles and offers a listener makes, the certificates it serves
 * (chosen by SNI, reloaded when their files change, checked for expiry) and the TLS engines.
 */
package org.popbridge.proxy.core.tls;

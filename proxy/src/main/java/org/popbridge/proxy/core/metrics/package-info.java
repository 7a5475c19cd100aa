/**
 * What the sessions count, in the core's words, with no metrics library: {@link
 * org.popbridge.proxy.core.metrics.ListenerMeters} (one per listener: sessions, logins, octets,
 * messages, client TLS, limits hit, upstream failures by route), {@link
 * org.popbridge.proxy.core.metrics.CacheLookups} (the verdict cache) and {@link
 * org.popbridge.proxy.core.metrics.UpstreamHandshakes} (one per mail server: new and resumed TLS sessions). The program implements them
 * with Micrometer ({@code org.popbridge.proxy.metrics}); sessions make one call per event. No
 * value passed here is a user name or a client address: labels must stay few and say nothing of
 * who uses the proxy (the logs do that).
 */
package org.popbridge.proxy.core.metrics;

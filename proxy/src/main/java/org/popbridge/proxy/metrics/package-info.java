/**
 * The meters of the running proxy, in Micrometer with its Prometheus registry: {@link
 * org.popbridge.proxy.metrics.ProxyMeters} belongs to the process (it outlives a reload of the
 * settings) and gives each listener its {@link org.popbridge.proxy.metrics.ListenerCounters},
 * the filter chain its {@link org.popbridge.proxy.metrics.FilterMeters}, and reads the served
 * certificates' days left at each scrape ({@link org.popbridge.proxy.metrics.CertificateDays}).
 * Every name starts with {@code popbridge_}; no label carries a user name or a client address.
 */
package org.popbridge.proxy.metrics;

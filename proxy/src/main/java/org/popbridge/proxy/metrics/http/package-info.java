/**
 * The metrics endpoint: HTTP/1.1 on netty's codec, GET only, one request per connection, with
 * /metrics (Prometheus text), /health and /ready. It knows no meter: what it serves is given
 * to it ({@link org.popbridge.proxy.metrics.http.EndpointContent}). Every input path is bounded
 * ({@link org.popbridge.proxy.metrics.http.EndpointLimits}): the request line and header sizes,
 * the body, the time to send a request, and the connections open at once.
 */
package org.popbridge.proxy.metrics.http;

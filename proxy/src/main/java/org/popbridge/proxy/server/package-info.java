/**
 * The wiring of a running proxy: listeners and their client pipelines, the route tables and
 * upstream connectors built from the config, the visits to the upstreams after each bind
 * (UpstreamProbes), the JIT warm-up before the first bind (WarmUp), and an orderly shutdown.
 */
package org.popbridge.proxy.server;

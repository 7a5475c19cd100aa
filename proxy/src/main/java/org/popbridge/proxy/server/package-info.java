/**
 * The wiring of a running proxy: listeners and their client pipelines, the route tables and
 * upstream connectors built from the config, the visits to the upstreams after each bind
 * (UpstreamProbes), and an orderly shutdown.
 */
package org.popbridge.proxy.server;

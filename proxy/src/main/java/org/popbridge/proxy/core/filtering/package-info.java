/**
 * The bridge from the proxy to the filters module: runs the chain on a message's header block
 * (gathered within a bound) and body, and caches outcomes per upstream, user and UIDL.
 */
package org.popbridge.proxy.core.filtering;

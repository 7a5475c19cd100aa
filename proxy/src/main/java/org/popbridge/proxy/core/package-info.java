/**
 * The protocol-neutral core every client protocol runs on: client TLS, reaching upstreams, routes,
 * the filter bridge and what any session has. It knows no protocol and no upstream adapter.
 */
package org.popbridge.proxy.core;

/**
 * The command line (picocli): run the proxy, the demo, the local CA commands and test-rules.
 */
package org.popbridge.proxy.cli;

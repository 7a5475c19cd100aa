/**
 * The command line (picocli): run the proxy, the demo, the local CA commands, test-rules and
 * check-config, and the version the build wrote.
 */
package org.popbridge.proxy.cli;

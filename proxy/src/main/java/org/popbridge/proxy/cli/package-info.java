/**
 * The command line (picocli): run the proxy, the demo, the local CA commands, test-rules,
 * check-config and reload, and the version the build wrote; Logback set up from the logging
 * settings before the listeners open (the logging package).
 */
package org.popbridge.proxy.cli;

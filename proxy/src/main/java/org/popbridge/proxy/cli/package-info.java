/**
 * The command line (picocli): run the proxy, the demo, the local CA commands, test-rules,
 * check-config and reload, and the version the build wrote; Logback set up from the logging
 * settings (LogSetup, LogEncoders) before the listeners open.
 */
package org.popbridge.proxy.cli;

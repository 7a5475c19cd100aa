/**
 * The command line (picocli): run the proxy, the demo, the local CA commands and test-rules;
 * and Logback set up from the logging settings (LogSetup, LogEncoders) before the listeners open.
 */
package org.popbridge.proxy.cli;

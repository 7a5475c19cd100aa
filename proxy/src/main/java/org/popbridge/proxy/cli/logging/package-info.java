/**
 * Logback set up from the logging settings before the listeners open: the level, the format
 * (LogEncoders, LogTimestamp), and the log file that rolls (PrunedRollingPolicy) and whose old
 * files are deleted (RolledLogPruner, by the names RolledLogs gives).
 */
package org.popbridge.proxy.cli.logging;

package org.popbridge.filters;

/**
 * One entry of the configured chain, checked and ready: a {@link MessageFilterFactory}, a
 * {@link SessionFilterFactory}, or both. It is shared by every session and must be
 * thread-safe; the filters it creates, one per message or session, need not be.
 */
public interface ConfiguredFilter {
}

/**
 * Routes by user: which upstream serves a login name, and how the name is rewritten for it.
 */
package org.popbridge.proxy.core.routing;

/**
 * The upstream of a session routed by user: the login is answered here until the user is known,
 * then the route's upstream is opened and the login replayed there.
 */
package org.popbridge.proxy.upstream.routed;

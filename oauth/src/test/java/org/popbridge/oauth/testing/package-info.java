/**
 * Test support shared through the oauth module's test-jar: a stand-in OAuth2 identity provider
 * (device flow, token endpoint, RFC 7662 introspection, RFC 7009 revocation) and a settable clock.
 * The proxy's tests depend on it with type test-jar, scope test.
 */
package org.popbridge.oauth.testing;

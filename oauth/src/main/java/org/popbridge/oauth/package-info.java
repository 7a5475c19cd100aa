/**
 * OAuth2 for popbridge's upstream logins (issue 14): the grants, the encrypted token store, the
 * access-token cache and the SASL messages. The proxy uses five types: {@link
 * org.popbridge.oauth.OAuthProvider} (from the config), {@link org.popbridge.oauth.TokenStore}
 * (unlock at the client's login, enrol from the command line), {@link
 * org.popbridge.oauth.AccessTokens} (a token per login, never blocking), {@link
 * org.popbridge.oauth.Xoauth2} / {@link org.popbridge.oauth.OAuthBearer} (the upstream AUTH), and
 * {@link org.popbridge.oauth.OAuthClient} for enrolment (device flow, pasted redirect, client
 * credentials, revocation). Errors are {@link org.popbridge.oauth.OAuthException} with a kind.
 *
 * <h2>Why a small client on the JDK's HttpClient</h2>
 * The grants popbridge needs (device code, refresh, client credentials, authorization code with
 * PKCE, revocation) are each one form POST and one JSON answer; together they are a few hundred
 * lines here. Microsoft's msal4j and Google's auth library each cover one provider, so popbridge
 * would carry two code paths, two token caches and two error models for the same three grants,
 * and still need a third for a generic provider (and the stand-in provider the tests use). They
 * also bring their own HTTP and JSON stacks (msal4j: Nimbus, json-smart, its own HTTP client;
 * Google: google-http-client, Gson, Guava) into a proxy that already has Jackson and the JDK's
 * HttpClient, and they cache and refresh tokens their own way, where popbridge needs one refresh in
 * flight per user, backoff and counters of its own. Here, one code path serves every provider, with
 * popbridge's own limits on every answer (64 KiB, a time-out, no redirects) and its own rule that
 * no token reaches a log or an exception.
 *
 * <h2>Secrets</h2>
 * Tokens, codes, client secrets and passwords never appear in logs, exception messages or
 * toString(): every record holding one overrides toString, error descriptions from a provider are
 * cut to printable ASCII with the request's secrets removed, and a JSON parser's exception (which
 * quotes its input) is never kept as a cause.
 *
 * <h2>Cost of a login</h2>
 * A client's login unlocks its token file with Argon2id (64 MiB, one pass: about 70 ms of one
 * core, see {@link org.popbridge.oauth.KdfParameters}); a successful unlock is then cached in memory for ten minutes, keyed by the user and an
 * HMAC of (user, password), so a scanner polling every minute pays it once in ten. At most two
 * derivations run at once. The cache gives up nothing a heap dump would not already show: the
 * unlocked refresh token itself is in memory while the user is active.
 */
package org.popbridge.oauth;

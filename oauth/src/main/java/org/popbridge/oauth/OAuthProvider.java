package org.popbridge.oauth;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One identity provider and popbridge's registration with it: the endpoints (RFC 6749 3.2 token,
 * RFC 8628 3.1 device authorization, optional RFC 6749 3.1 authorization and RFC 7009 revocation),
 * the client id, the client secret if the registration has one, the scopes for a user's mailbox,
 * and the scopes for the client-credentials grant (service accounts). toString never shows the
 * secret.
 */
public record OAuthProvider(
        ProviderType type,
        URI tokenUrl,
        URI deviceAuthorizationUrl,
        Optional<URI> authorizationUrl,
        Optional<URI> revocationUrl,
        String clientId,
        Optional<String> clientSecret,
        List<String> scopes,
        List<String> clientCredentialsScopes) {

    /** Outlook's delegated scopes for POP, IMAP and SMTP AUTH, and offline_access for a refresh token. */
    public static final List<String> MICROSOFT_SCOPES = List.of(
            "https://outlook.office.com/POP.AccessAsUser.All",
            "https://outlook.office.com/IMAP.AccessAsUser.All",
            "https://outlook.office.com/SMTP.Send",
            "offline_access");
    /** App-only access (POP.AccessAsApp, IMAP.AccessAsApp granted to the app) is asked for as .default. */
    public static final List<String> MICROSOFT_APP_SCOPES = List.of("https://outlook.office365.com/.default");
    /** Gmail's one scope for IMAP, POP and SMTP. */
    public static final List<String> GOOGLE_SCOPES = List.of("https://mail.google.com/");

    // A tenant is a GUID, a domain, "common", "organizations" or "consumers": one path segment.
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,99}");

    public OAuthProvider {
        Objects.requireNonNull(type, "type");
        requireWebUrl(tokenUrl, "token URL");
        requireWebUrl(deviceAuthorizationUrl, "device-authorization URL");
        authorizationUrl.ifPresent(u -> requireWebUrl(u, "authorization URL"));
        revocationUrl.ifPresent(u -> requireWebUrl(u, "revocation URL"));
        if (clientId == null || clientId.isBlank() || clientId.length() > 256) {
            throw new IllegalArgumentException("client id must be 1 to 256 characters");
        }
        clientSecret = Objects.requireNonNull(clientSecret, "clientSecret").filter(s -> !s.isEmpty());
        scopes = List.copyOf(scopes);
        clientCredentialsScopes = List.copyOf(clientCredentialsScopes);
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("at least one scope is needed");
        }
        for (String scope : scopes) {
            requireScope(scope);
        }
        for (String scope : clientCredentialsScopes) {
            requireScope(scope);
        }
    }

    /**
     * Microsoft identity platform v2.0 for Exchange Online: tenant is the directory (GUID or domain,
     * or "organizations"); the secret is the app registration's client secret, if it has one.
     */
    public static OAuthProvider microsoft(String tenant, String clientId, Optional<String> clientSecret) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must be a directory id or domain name");
        }
        String base = "https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/";
        // Microsoft has no RFC 7009 endpoint; a user's tokens are revoked in Entra ID.
        return new OAuthProvider(ProviderType.MICROSOFT, URI.create(base + "token"), URI.create(base + "devicecode"),
                Optional.of(URI.create(base + "authorize")), Optional.empty(),
                clientId, clientSecret, MICROSOFT_SCOPES, MICROSOFT_APP_SCOPES);
    }

    /**
     * Google's OAuth 2.0 endpoints with the Gmail scope. Google's device flow does not grant
     * https://mail.google.com/ to every client type; the authorization-code flow always works.
     */
    public static OAuthProvider google(String clientId, Optional<String> clientSecret) {
        return new OAuthProvider(ProviderType.GOOGLE, URI.create("https://oauth2.googleapis.com/token"),
                URI.create("https://oauth2.googleapis.com/device/code"),
                Optional.of(URI.create("https://accounts.google.com/o/oauth2/v2/auth")),
                Optional.of(URI.create("https://oauth2.googleapis.com/revoke")),
                clientId, clientSecret, GOOGLE_SCOPES, List.of());
    }

    /** Any RFC 6749 server given by its URLs; the client-credentials grant asks for the same scopes. */
    public static OAuthProvider generic(URI tokenUrl, URI deviceAuthorizationUrl, Optional<URI> authorizationUrl,
            Optional<URI> revocationUrl, String clientId, Optional<String> clientSecret, List<String> scopes) {
        return new OAuthProvider(ProviderType.GENERIC, tokenUrl, deviceAuthorizationUrl, authorizationUrl,
                revocationUrl, clientId, clientSecret, scopes, scopes);
    }

    /** The name stored with each enrolment, to catch a user enrolled with another provider. */
    public String id() {
        return type.id();
    }

    /** The scopes for the client-credentials grant: its own list, else the user scopes. */
    public List<String> serviceScopes() {
        return clientCredentialsScopes.isEmpty() ? scopes : clientCredentialsScopes;
    }

    @Override
    public String toString() {
        return "OAuthProvider[" + type.id() + ", token " + tokenUrl + ", client " + clientId
                + (clientSecret.isPresent() ? ", secret set" : ", no secret") + ", scopes " + scopes + "]";
    }

    /** Only http and https: a token endpoint on file: or jar: would read local files with our secrets. */
    static URI requireWebUrl(URI url, String what) {
        Objects.requireNonNull(url, what);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || url.getHost() == null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(what + " must be an http or https URL with a host and no user info");
        }
        return url;
    }

    private static void requireScope(String scope) {
        // RFC 6749 3.3: scope tokens are printable ASCII without space, quote or backslash.
        if (scope == null || scope.isEmpty() || !scope.chars().allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E))) {
            throw new IllegalArgumentException("a scope must be printable ASCII without spaces");
        }
    }
}

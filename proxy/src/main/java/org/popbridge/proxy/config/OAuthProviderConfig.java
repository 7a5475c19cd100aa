package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.popbridge.proxy.core.upstream.BearerMechanism;

/**
 * The identity provider behind {@code auth: oauth2} (the {@code provider:} block of an upstream
 * or submission server): where tokens come from (RFC 6749 section 3.2, RFC 8628 section 3.1),
 * the client popbridge is registered as, and the scopes it asks for. {@code type: microsoft}
 * and {@code type: google} fill in the endpoints and scopes; {@code type: generic} gives them.
 *
 * <p>Values only: the client secret stays in the environment variable named here, read when the
 * provider is built, so it appears in no config value, log or toString.
 *
 * @param authorizationUrl where a browser signs in for the authorization-code flow (RFC 6749
 *     section 4.1, {@code popbridge oauth login --flow code}); filled in for microsoft and google,
 *     null for a generic provider that does not give one
 * @param revocationUrl where tokens are revoked (RFC 7009); null if not given
 * @param clientSecretEnv the environment variable holding the client secret; null for a public client
 * @param tenant the Microsoft Entra tenant (a GUID, a domain, organizations or common); null for other types
 * @param mechanism which SASL mechanism carries the token upstream
 */
public record OAuthProviderConfig(
        Type type,
        URI tokenUrl,
        URI deviceAuthorizationUrl,
        URI authorizationUrl,
        URI revocationUrl,
        String clientId,
        String clientSecretEnv,
        String tenant,
        List<String> scopes,
        BearerMechanism mechanism) {

    /** The scopes Microsoft 365 needs for POP3, IMAP and SMTP with a refresh token. */
    public static final List<String> MICROSOFT_SCOPES = List.of("https://outlook.office.com/POP.AccessAsUser.All",
            "https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send",
            "offline_access");
    /** The scope Gmail needs for POP3, IMAP and SMTP. */
    public static final List<String> GOOGLE_SCOPES = List.of("https://mail.google.com/");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

    /** Which identity provider, and so which keys it takes. */
    public enum Type {
        /** Any provider: token-url, device-authorization-url and scopes are given. */
        GENERIC,
        /** Microsoft Entra ID (Microsoft 365): endpoints from the tenant. */
        MICROSOFT,
        /** Google (Gmail, Workspace). */
        GOOGLE;

        public String written() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Type> of(String written) {
            return Arrays.stream(values()).filter(t -> t.written().equalsIgnoreCase(written.strip())).findFirst();
        }
    }

    public OAuthProviderConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(deviceAuthorizationUrl, "deviceAuthorizationUrl");
        Objects.requireNonNull(clientId, "clientId");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(mechanism, "mechanism");
    }

    @JsonCreator
    public static OAuthProviderConfig of(
            @JsonProperty("type") String type,
            @JsonProperty("token-url") String tokenUrl,
            @JsonProperty("device-authorization-url") String deviceAuthorizationUrl,
            @JsonProperty("authorization-url") String authorizationUrl,
            @JsonProperty("revocation-url") String revocationUrl,
            @JsonProperty("client-id") String clientId,
            @JsonProperty("client-secret-env") String clientSecretEnv,
            @JsonProperty("tenant") String tenant,
            @JsonProperty("scopes") List<String> scopes,
            @JsonProperty("mechanism") String mechanism) {
        return bind(type, tokenUrl, deviceAuthorizationUrl, authorizationUrl, revocationUrl, clientId, clientSecretEnv,
                tenant, scopes,
                mechanism, System::getenv);
    }

    /** Binds the keys, looking environment variables up in {@code environment}. */
    static OAuthProviderConfig bind(String type, String tokenUrl, String deviceAuthorizationUrl,
                                    String authorizationUrl, String revocationUrl, String clientId, String clientSecretEnv, String tenant, List<String> scopes,
                                    String mechanism, UnaryOperator<String> environment) {
        if (type == null) {
            throw new SettingException("type", "a provider needs type: microsoft, google or generic");
        }
        Type kind = Type.of(type).orElseThrow(() -> new SettingException("type",
                "unknown provider type '" + type + "' (use microsoft, google or generic)"));
        if (clientId == null || clientId.isBlank()) {
            throw new SettingException("client-id", "the provider needs the client id popbridge is registered with");
        }
        if (tenant != null && kind != Type.MICROSOFT) {
            throw new SettingException("tenant", "only for type: microsoft");
        }
        URI token;
        URI device;
        URI authorization;
        List<String> defaultScopes;
        switch (kind) {
            case MICROSOFT -> {
                refuseFilledIn("token-url", tokenUrl, kind);
                refuseFilledIn("device-authorization-url", deviceAuthorizationUrl, kind);
                if (tenant == null || tenant.isBlank()) {
                    throw new SettingException("tenant", "type: microsoft needs the tenant: its id, a domain, "
                            + "organizations or common");
                }
                if (!TENANT.matcher(tenant.strip()).matches()) {
                    throw new SettingException("tenant", "'" + tenant + "' is no tenant id or domain");
                }
                String base = "https://login.microsoftonline.com/" + tenant.strip() + "/oauth2/v2.0/";
                refuseFilledIn("authorization-url", authorizationUrl, kind);
                token = URI.create(base + "token");
                device = URI.create(base + "devicecode");
                authorization = URI.create(base + "authorize");
                defaultScopes = MICROSOFT_SCOPES;
            }
            case GOOGLE -> {
                refuseFilledIn("token-url", tokenUrl, kind);
                refuseFilledIn("device-authorization-url", deviceAuthorizationUrl, kind);
                refuseFilledIn("authorization-url", authorizationUrl, kind);
                token = URI.create("https://oauth2.googleapis.com/token");
                device = URI.create("https://oauth2.googleapis.com/device/code");
                authorization = URI.create("https://accounts.google.com/o/oauth2/v2/auth");
                defaultScopes = GOOGLE_SCOPES;
            }
            default -> {
                if (tokenUrl == null) {
                    throw new SettingException("token-url", "type: generic needs the token endpoint's URL");
                }
                if (deviceAuthorizationUrl == null) {
                    throw new SettingException("device-authorization-url",
                            "type: generic needs the device authorization endpoint's URL (RFC 8628)");
                }
                token = url("token-url", tokenUrl);
                device = url("device-authorization-url", deviceAuthorizationUrl);
                authorization = authorizationUrl == null ? null : url("authorization-url", authorizationUrl);
                if (scopes == null || scopes.isEmpty()) {
                    throw new SettingException("scopes", "type: generic needs the scopes to ask for, one '- ' per line");
                }
                defaultScopes = List.of();
            }
        }
        return new OAuthProviderConfig(kind, token, device, authorization,
                revocationUrl == null ? null : url("revocation-url", revocationUrl), clientId.strip(),
                secretVariable(clientSecretEnv, environment), tenant == null ? null : tenant.strip(),
                scopes == null ? defaultScopes : scopes(scopes), mechanism(mechanism));
    }

    private static void refuseFilledIn(String key, String value, Type kind) {
        if (value != null) {
            throw new SettingException(key, "filled in for type: " + kind.written() + "; remove it, or use type: generic");
        }
    }

    /**
     * An absolute https URL; http only to this host, for a stand-in identity provider, since a
     * refresh token and the client secret cross it.
     */
    static URI url(String key, String written) {
        URI uri;
        try {
            uri = new URI(written.strip());
        } catch (URISyntaxException e) {
            throw new SettingException(key, "'" + written + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && loopback(uri.getHost()))) {
            throw new SettingException(key, "'" + written + "' must be an https:// URL (http:// only to localhost)");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    }

    private static String secretVariable(String name, UnaryOperator<String> environment) {
        if (name == null) {
            return null;
        }
        if (!ENV_NAME.matcher(name).matches()) {
            throw new SettingException("client-secret-env", "'" + name + "' is not an environment variable name");
        }
        if (environment.apply(name) == null) {
            throw new SettingException("client-secret-env", "the environment variable " + name
                    + " is not set; it must hold the client secret");
        }
        return name;
    }

    private static List<String> scopes(List<String> given) {
        for (int index = 0; index < given.size(); index++) {
            String scope = given.get(index);
            if (scope == null || scope.isBlank() || scope.strip().contains(" ")) {
                throw new SettingException("scopes", index, "a scope is one word without spaces");
            }
        }
        return given.stream().map(String::strip).toList();
    }

    private static BearerMechanism mechanism(String written) {
        if (written == null) {
            return BearerMechanism.AUTO;
        }
        return BearerMechanism.of(written).orElseThrow(() -> new SettingException("mechanism",
                "unknown mechanism '" + written + "' (use xoauth2, oauthbearer or auto)"));
    }
}

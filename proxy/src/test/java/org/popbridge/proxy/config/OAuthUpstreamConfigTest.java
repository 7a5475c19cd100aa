package org.popbridge.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.popbridge.proxy.core.upstream.BearerMechanism;

/** auth: password | oauth2 with its provider: block, on an upstream, a route's upstream and a submission server. */
class OAuthUpstreamConfigTest {

    /** Set in every environment the tests run in, so a client-secret-env can name it. */
    private static final String SET_VARIABLE = "PATH";
    private static final String UNSET_VARIABLE = "POPBRIDGE_TEST_UNSET_SECRET_9F3A";

    @TempDir
    Path dir;

    @Test
    void passwordIsTheDefaultAndMayBeSaid() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream:
                  url: pop3s://mail.example.com
                  auth: password
                submission: smtps://smtp.example.com
                """);

        assertThat(config.upstream().oauth()).isFalse();
        assertThat(config.upstream()).isEqualTo(UpstreamConfig.parse("pop3s://mail.example.com"));
        assertThat(config.submission().server().oauth()).isFalse();
    }

    @Test
    void microsoftFillsInTheEndpointsFromTheTenantAndTheScopes() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream:
                  url: imaps://outlook.office365.com
                  auth: oauth2
                  provider:
                    type: microsoft
                    tenant: contoso.onmicrosoft.com
                    client-id: 11111111-2222-3333-4444-555555555555
                """);

        OAuthProviderConfig provider = config.upstream().oauth2();
        assertThat(provider.type()).isEqualTo(OAuthProviderConfig.Type.MICROSOFT);
        assertThat(provider.tokenUrl()).isEqualTo(
                URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"));
        assertThat(provider.deviceAuthorizationUrl()).isEqualTo(
                URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode"));
        assertThat(provider.authorizationUrl()).isEqualTo(
                URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"));
        assertThat(provider.scopes()).containsExactly("https://outlook.office.com/POP.AccessAsUser.All",
                "https://outlook.office.com/IMAP.AccessAsUser.All", "https://outlook.office.com/SMTP.Send",
                "offline_access");
        assertThat(provider.clientId()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(provider.clientSecretEnv()).isNull();
        assertThat(provider.revocationUrl()).isNull();
        assertThat(provider.mechanism()).isEqualTo(BearerMechanism.AUTO);
    }

    @Test
    void googleFillsInItsEndpointsAndTheMailScope() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream:
                  url: pop3s://pop.gmail.com
                  auth: oauth2
                  provider: {type: google, client-id: 123.apps.googleusercontent.com, mechanism: xoauth2}
                """);

        OAuthProviderConfig provider = config.upstream().oauth2();
        assertThat(provider.tokenUrl()).isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
        assertThat(provider.deviceAuthorizationUrl()).isEqualTo(URI.create("https://oauth2.googleapis.com/device/code"));
        assertThat(provider.scopes()).containsExactly("https://mail.google.com/");
        assertThat(provider.mechanism()).isEqualTo(BearerMechanism.XOAUTH2);
    }

    @Test
    void genericTakesEveryKeyAndKeepsOnlyTheSecretsName() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream:
                  url: imaps://imap.example.com
                  auth: oauth2
                  provider:
                    type: generic
                    token-url: https://idp.example.com/token
                    device-authorization-url: http://127.0.0.1:8080/device
                    authorization-url: https://idp.example.com/authorize
                    revocation-url: https://idp.example.com/revoke
                    client-id: popbridge
                    client-secret-env: %s
                    scopes: [mail, offline_access]
                    mechanism: oauthbearer
                """.formatted(SET_VARIABLE));

        OAuthProviderConfig provider = config.upstream().oauth2();
        assertThat(provider.tokenUrl()).isEqualTo(URI.create("https://idp.example.com/token"));
        assertThat(provider.deviceAuthorizationUrl()).isEqualTo(URI.create("http://127.0.0.1:8080/device"));
        assertThat(provider.authorizationUrl()).isEqualTo(URI.create("https://idp.example.com/authorize"));
        assertThat(provider.revocationUrl()).isEqualTo(URI.create("https://idp.example.com/revoke"));
        assertThat(provider.scopes()).containsExactly("mail", "offline_access");
        assertThat(provider.mechanism()).isEqualTo(BearerMechanism.OAUTHBEARER);
        assertThat(provider.clientSecretEnv()).isEqualTo(SET_VARIABLE);
        // The record holds the variable's name: its value is in no field and no toString.
        assertThat(provider.toString()).doesNotContain(System.getenv(SET_VARIABLE));
    }

    @Test
    void aRouteUpstreamAndASubmissionServerTakeItToo() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream: pop3s://mail.example.com
                routes:
                  - match: "*@contoso.com"
                    upstream:
                      url: imaps://outlook.office365.com
                      auth: oauth2
                      provider: {type: microsoft, tenant: organizations, client-id: app}
                    submission:
                      url: smtp+starttls://smtp.office365.com
                      auth: oauth2
                      provider: {type: microsoft, tenant: organizations, client-id: app}
                """);

        RouteConfig route = config.routes().get(0);
        assertThat(route.upstream().oauth()).isTrue();
        assertThat(route.submission().server().oauth2()).isEqualTo(route.upstream().oauth2());
        assertThat(config.upstream().oauth()).isFalse();
    }

    @Test
    void aCommandLineUrlKeepsTheAuth() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream:
                  url: imaps://outlook.office365.com
                  auth: oauth2
                  provider: {type: microsoft, tenant: common, client-id: app}
                """);

        assertThat(config.upstream().withUrl("pop3s://outlook.office365.com").oauth2())
                .isEqualTo(config.upstream().oauth2());
    }

    /** A key left out is named by the nearest key the file has, as everywhere in the config (a missing url). */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("an unknown auth", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: kerberos
                        """, "3: key 'upstream.auth': unknown value 'kerberos' (use password or oauth2)"),
                Arguments.of("oauth2 without a provider", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                        """, "3: key 'upstream.auth': auth: oauth2 needs a provider: block "
                        + "(type: microsoft, google or generic, and its client-id)"),
                Arguments.of("a provider without oauth2", """
                        upstream:
                          url: pop3s://mail.example.com
                          provider: {type: google, client-id: app}
                        """, "3: key 'upstream.provider': only with auth: oauth2; with auth: password the client's "
                        + "own password goes to the server"),
                Arguments.of("a provider with auth: password", """
                        submission:
                          url: smtps://smtp.example.com
                          auth: password
                          provider: {type: google, client-id: app}
                        """, "4: key 'submission.provider': only with auth: oauth2; with auth: password the "
                        + "client's own password goes to the server"),
                Arguments.of("oauth2 with apop", """
                        upstream:
                          url: pop3s://mail.example.com
                          apop: true
                          auth: oauth2
                          provider: {type: google, client-id: app}
                        """, "4: key 'upstream.auth': auth: oauth2 cannot go with apop: true (APOP sends a digest "
                        + "of the password, which a server that takes tokens cannot check); remove apop"),
                Arguments.of("a provider without a type", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                          provider:
                            client-id: app
                        """, "4: key 'upstream.provider': a provider needs type: microsoft, google or generic"),
                Arguments.of("an unknown type", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                          provider:
                            type: yahoo
                            client-id: app
                        """, "5: key 'upstream.provider.type': unknown provider type 'yahoo' "
                        + "(use microsoft, google or generic)"),
                Arguments.of("no client-id", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                          provider:
                            type: google
                        """, "4: key 'upstream.provider': the provider needs the client id popbridge "
                        + "is registered with"),
                Arguments.of("microsoft without a tenant", """
                        upstream:
                          url: pop3s://outlook.office365.com
                          auth: oauth2
                          provider:
                            type: microsoft
                            client-id: app
                        """, "4: key 'upstream.provider': type: microsoft needs the tenant: its id, a domain, "
                        + "organizations or common"),
                Arguments.of("a tenant that is no name", """
                        upstream:
                          url: pop3s://outlook.office365.com
                          auth: oauth2
                          provider:
                            type: microsoft
                            client-id: app
                            tenant: contoso/../evil
                        """, "7: key 'upstream.provider.tenant': 'contoso/../evil' is no tenant id or domain"),
                Arguments.of("a tenant for google", """
                        upstream:
                          url: pop3s://pop.gmail.com
                          auth: oauth2
                          provider:
                            type: google
                            client-id: app
                            tenant: contoso
                        """, "7: key 'upstream.provider.tenant': only for type: microsoft"),
                Arguments.of("a token-url microsoft fills in", """
                        upstream:
                          url: pop3s://outlook.office365.com
                          auth: oauth2
                          provider:
                            type: microsoft
                            tenant: common
                            client-id: app
                            token-url: https://login.example.com/token
                        """, "8: key 'upstream.provider.token-url': filled in for type: microsoft; remove it, "
                        + "or use type: generic"),
                Arguments.of("a device-authorization-url google fills in", """
                        upstream:
                          url: pop3s://pop.gmail.com
                          auth: oauth2
                          provider:
                            type: google
                            client-id: app
                            device-authorization-url: https://login.example.com/device
                        """, "7: key 'upstream.provider.device-authorization-url': filled in for type: google; "
                        + "remove it, or use type: generic"),
                Arguments.of("generic without a token-url", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                          provider:
                            type: generic
                            client-id: app
                            device-authorization-url: https://idp.example.com/device
                            scopes: [mail]
                        """, "4: key 'upstream.provider': type: generic needs the token endpoint's URL"),
                Arguments.of("generic without a device-authorization-url", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                          provider:
                            type: generic
                            client-id: app
                            token-url: https://idp.example.com/token
                            scopes: [mail]
                        """, "4: key 'upstream.provider': type: generic needs the device "
                        + "authorization endpoint's URL (RFC 8628)"),
                Arguments.of("generic without scopes", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                          provider:
                            type: generic
                            client-id: app
                            token-url: https://idp.example.com/token
                            device-authorization-url: https://idp.example.com/device
                        """, "4: key 'upstream.provider': type: generic needs the scopes to ask for, "
                        + "one '- ' per line"),
                Arguments.of("a token-url in clear to another host", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                          provider:
                            type: generic
                            client-id: app
                            token-url: http://idp.example.com/token
                            device-authorization-url: https://idp.example.com/device
                            scopes: [mail]
                        """, "7: key 'upstream.provider.token-url': 'http://idp.example.com/token' must be an "
                        + "https:// URL (http:// only to localhost)"),
                Arguments.of("a revocation-url that is no URL", """
                        upstream:
                          url: pop3s://pop.gmail.com
                          auth: oauth2
                          provider:
                            type: google
                            client-id: app
                            revocation-url: "not a url"
                        """, "7: key 'upstream.provider.revocation-url': 'not a url' is not a URL"),
                Arguments.of("a scope with a space", """
                        upstream:
                          url: pop3s://mail.example.com
                          auth: oauth2
                          provider:
                            type: generic
                            client-id: app
                            token-url: https://idp.example.com/token
                            device-authorization-url: https://idp.example.com/device
                            scopes:
                              - mail
                              - "read write"
                        """, "11: key 'upstream.provider.scopes[1]': a scope is one word without spaces"),
                Arguments.of("an unknown mechanism", """
                        upstream:
                          url: pop3s://pop.gmail.com
                          auth: oauth2
                          provider:
                            type: google
                            client-id: app
                            mechanism: plain
                        """, "7: key 'upstream.provider.mechanism': unknown mechanism 'plain' "
                        + "(use xoauth2, oauthbearer or auto)"),
                Arguments.of("a client secret variable that is not set", """
                        upstream:
                          url: pop3s://pop.gmail.com
                          auth: oauth2
                          provider:
                            type: google
                            client-id: app
                            client-secret-env: %s
                        """.formatted(UNSET_VARIABLE), "7: key 'upstream.provider.client-secret-env': the environment "
                        + "variable " + UNSET_VARIABLE + " is not set; it must hold the client secret"),
                Arguments.of("a client secret variable that is no name", """
                        upstream:
                          url: pop3s://pop.gmail.com
                          auth: oauth2
                          provider:
                            type: google
                            client-id: app
                            client-secret-env: my secret
                        """, "7: key 'upstream.provider.client-secret-env': 'my secret' is not an environment "
                        + "variable name"),
                Arguments.of("the client secret itself in the file", """
                        upstream:
                          url: pop3s://pop.gmail.com
                          auth: oauth2
                          provider:
                            type: google
                            client-id: app
                            client-secret: hunter2
                        """, "7: key 'upstream.provider.client-secret': unknown key (known here: authorization-url, client-id, "
                        + "client-secret-env, device-authorization-url, mechanism, revocation-url, scopes, tenant, "
                        + "token-url, type)"),
                Arguments.of("a route's upstream with a provider and no oauth2", """
                        routes:
                          - match: "*@contoso.com"
                            upstream:
                              url: imaps://outlook.office365.com
                              provider: {type: google, client-id: app}
                        """, "5: key 'routes[0].upstream.provider': only with auth: oauth2; with auth: password "
                        + "the client's own password goes to the server"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeNamesTheFileLineKeyAndProblem(String mistake, String yaml, String expected) throws IOException {
        ConfigFiles.assertMistake(dir, yaml, expected);
    }

    @Test
    void scopesOverrideTheFilledInOnes() throws Exception {
        PopbridgeConfig config = ConfigFiles.load(dir, """
                upstream:
                  url: imaps://outlook.office365.com
                  auth: oauth2
                  provider:
                    type: microsoft
                    tenant: common
                    client-id: app
                    scopes: [https://outlook.office.com/IMAP.AccessAsUser.All, offline_access]
                """);

        assertThat(config.upstream().oauth2().scopes())
                .isEqualTo(List.of("https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access"));
    }
}

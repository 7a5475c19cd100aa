package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.popbridge.proxy.core.tls.KeyPassword;

/**
 * A certificate served to clients that ask for one of {@code names} by SNI (RFC 6066 section 3).
 * A name is a host name or a wildcard {@code *.example.org} for the names one level below.
 */
public record SniCertificateConfig(List<String> names, Path cert, Path key, KeyPassword keyPassword) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public SniCertificateConfig {
        names = List.copyOf(names);
        keyPassword = keyPassword == null ? KeyPassword.none() : keyPassword;
    }

    public SniCertificateConfig(List<String> names, Path cert, Path key) {
        this(names, cert, key, KeyPassword.none());
    }

    /** Binds one {@code sni:} entry; names are lower-cased. */
    @JsonCreator
    public static SniCertificateConfig of(
            @JsonProperty("names") List<String> names,
            @JsonProperty("cert") Path cert,
            @JsonProperty("key") Path key,
            @JsonProperty("key-password") String keyPassword,
            @JsonProperty("key-password-env") String keyPasswordEnv) {
        if (names == null || names.isEmpty()) {
            throw new SettingException("names", "an sni entry needs the server names it is for, e.g. [mail.example.org]");
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) == null ? "" : names.get(i).strip().toLowerCase(Locale.ROOT);
            if (!isServerName(name)) {
                throw new SettingException("names", i, "'" + names.get(i) + "' is not a host name or a wildcard "
                        + "such as *.example.org");
            }
            checked.add(name);
        }
        if (cert == null || (key == null && !TlsConfig.isPkcs12(cert))) {
            // Blame the one that is there: that is the line the operator has to look at.
            throw new SettingException(cert != null ? "cert" : "key", "an sni entry needs both cert and key");
        }
        return new SniCertificateConfig(checked, cert, key, KeyPasswordKeys.bind(keyPassword, keyPasswordEnv));
    }

    /** A DNS name, optionally with "*." in front (netty's wildcard covers exactly one more label). */
    static boolean isServerName(String name) {
        String host = name.startsWith("*.") ? name.substring(2) : name;
        String[] labels = host.split("\\.", -1);
        if (host.length() > 253) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}

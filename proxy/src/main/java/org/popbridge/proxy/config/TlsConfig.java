package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/** The certificate popbridge serves to clients; both null means "generate a self-signed one". */
public record TlsConfig(Path cert, Path key) {

    @JsonCreator
    public TlsConfig(@JsonProperty("cert") Path cert, @JsonProperty("key") Path key) {
        if ((cert == null) != (key == null)) {
            // Blame the one that is there: that is the line the operator has to look at.
            throw new SettingException(cert != null ? "cert" : "key",
                    "tls needs both cert and key, or neither (then a self-signed certificate is generated)");
        }
        this.cert = cert;
        this.key = key;
    }

    public static TlsConfig none() {
        return new TlsConfig(null, null);
    }

    public boolean configured() {
        return cert != null;
    }
}

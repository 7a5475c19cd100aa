package org.popbridge.proxy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code metrics:} block: where the HTTP endpoint for Prometheus (/metrics, /health,
 * /ready) listens. Without the block there is no endpoint.
 *
 * @param host the address to bind, such as 127.0.0.1 or :: (an IPv6 literal without brackets)
 * @param port the TCP port; 0 picks a free one
 */
public record MetricsConfig(String host, int port) {

    @JsonCreator
    static MetricsConfig of(@JsonProperty("listen") String listen) {
        if (listen == null || listen.isBlank()) {
            throw new SettingException("listen", "listen: HOST:PORT is required, such as 127.0.0.1:9110");
        }
        return parse(listen.strip());
    }

    /** HOST:PORT, with an IPv6 host in brackets ([::1]:9110). */
    static MetricsConfig parse(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1) {
            throw new SettingException("listen", "expected HOST:PORT, such as 127.0.0.1:9110, got '" + listen + "'");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new SettingException("listen", "an IPv6 address goes in brackets, such as [::1]:9110, got '"
                    + listen + "'");
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new SettingException("listen", "not a host name or address: '" + listen + "'");
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new SettingException("listen", "the port must be a number, got '" + listen + "'");
        }
        if (port < 0 || port > 65535) {
            throw new SettingException("listen", "port " + port + " out of range (0-65535)");
        }
        return new MetricsConfig(host, port);
    }

    /** HOST:PORT as the log shows it. */
    public String describe() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

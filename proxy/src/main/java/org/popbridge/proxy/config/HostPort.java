package org.popbridge.proxy.config;

import java.net.URI;
import java.net.URISyntaxException;

/** The scheme, host and port of a URL such as pop3s://mail.example.com:995. */
record HostPort(String scheme, String host, int port) {

    static HostPort parse(String url, int defaultPortIfNone) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new SettingException("url", "not a URL: '" + url + "'");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new SettingException("url", "expected scheme://host[:port], got '" + url + "'");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new SettingException("url", "unexpected path in '" + url + "'");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // -1 from URI means "no port given"; only a port the operator wrote is range-checked.
        if (uri.getPort() > 65535) {
            throw new SettingException("url", "port " + uri.getPort() + " out of range (0-65535) in '" + url + "'");
        }
        return new HostPort(uri.getScheme(), host, uri.getPort() < 0 ? defaultPortIfNone : uri.getPort());
    }

    static String format(String scheme, String host, int port) {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

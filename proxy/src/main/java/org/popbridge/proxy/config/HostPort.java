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
            throw new IllegalArgumentException("not a URL: '" + url + "'");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("expected scheme://host[:port], got '" + url + "'");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("unexpected path in '" + url + "'");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? defaultPortIfNone : uri.getPort();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + url + "'");
        }
        return new HostPort(uri.getScheme(), host, port);
    }

    static String format(String scheme, String host, int port) {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

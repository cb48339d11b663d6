package dev.parley.node.server;

import java.net.URI;
import java.net.URISyntaxException;

/** Where the rendezvous server is: {@code https://HOST:PORT} (the default scheme) or {@code http://} for development. */
public record ServerAddress(String host, int port, boolean tls) {

    public static ServerAddress parse(String text) {
        String s = text.strip();
        if (!s.contains("://")) {
            s = "https://" + s;
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a server address: " + text + " (expected https://HOST:PORT)");
        }
        boolean tls;
        if ("https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme())) {
            tls = true;
        } else if ("http".equalsIgnoreCase(uri.getScheme()) || "ws".equalsIgnoreCase(uri.getScheme())) {
            tls = false;
        } else {
            throw new IllegalArgumentException("unsupported scheme in " + text + ": use https://HOST:PORT");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host in server address " + text);
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("server address must not have a path: " + text);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 8443 : 8080);
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new ServerAddress(host, port, tls);
    }

    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + h + ":" + port;
    }
}

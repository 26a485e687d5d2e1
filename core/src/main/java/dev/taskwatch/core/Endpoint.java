package dev.taskwatch.core;

import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.netty.transport.AddressUtils;

/** Base URL rules: what is accepted, where credentials may go, and where requests go. */
final class Endpoint {

    private Endpoint() {}

    static URI requireBaseUrl(URI baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!baseUrl.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("baseUrl must be an absolute http or https URL, got " + baseUrl);
        }
        if (baseUrl.getHost() == null || baseUrl.getHost().isEmpty()) {
            throw new IllegalArgumentException("baseUrl must have a host, got " + baseUrl);
        }
        if (baseUrl.getRawUserInfo() != null) {
            // Never echo user info: it may be a password.
            throw new IllegalArgumentException("baseUrl must not contain user info; use credentials(...) instead");
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or a fragment, got " + baseUrl);
        }
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + baseUrl.getRawAuthority() + path);
    }

    static URI defaultBaseUrl(Map<String, String> environment) {
        String fromEnv = environment.get("KEYCARD_API_BASE_URL");
        if (fromEnv == null || fromEnv.isBlank()) {
            return CatalogTasksClient.Builder.DEFAULT_BASE_URL;
        }
        try {
            return requireBaseUrl(new URI(fromEnv.trim()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("KEYCARD_API_BASE_URL is not a valid URL: " + e.getMessage(), e);
        }
    }

    /** Refuses to send credentials in cleartext to anything but loopback. */
    static void requireSafeForCredentials(URI baseUrl, Credentials credentials) {
        if (credentials instanceof NoCredentials) {
            return;
        }
        if ("http".equalsIgnoreCase(baseUrl.getScheme()) && !isLoopback(baseUrl.getHost())) {
            throw new IllegalArgumentException("refusing to send credentials over plain http to " + baseUrl.getHost()
                    + "; use https (plain http is allowed only for loopback addresses)");
        }
    }

    static boolean isLoopback(@Nullable String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost")
                || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    static String tokenPath(URI baseUrl) {
        return pathPrefix(baseUrl) + "/service-account-token";
    }

    /** The path every request starts with: the base URL's, without a trailing slash ({@link #requireBaseUrl}). */
    static String pathPrefix(URI baseUrl) {
        String path = baseUrl.getRawPath();
        return path == null ? "" : path;
    }

    static boolean isHttps(URI baseUrl) {
        return "https".equalsIgnoreCase(baseUrl.getScheme());
    }

    /**
     * The address to connect to: the base URL's host (an IP literal taken as is, a name resolved when connecting) and
     * its port, else the scheme's default. The same address Reactor Netty derives from an absolute URL.
     */
    static InetSocketAddress remoteAddress(URI baseUrl) {
        String host = baseUrl.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        int port = baseUrl.getPort() != -1 ? baseUrl.getPort() : isHttps(baseUrl) ? 443 : 80;
        return AddressUtils.createUnresolved(host, port);
    }

    /** The {@code Host} header for {@code address}, by the rule Reactor Netty applies when none is set. */
    static String hostHeader(InetSocketAddress address) {
        String host = HttpUtil.formatHostnameForHttp(address);
        int port = address.getPort();
        return port == 80 || port == 443 ? host : host + ":" + port;
    }

    /** scheme://host[:port], with no path. */
    static String origin(URI baseUrl) {
        return baseUrl.getScheme() + "://" + baseUrl.getRawAuthority();
    }
}

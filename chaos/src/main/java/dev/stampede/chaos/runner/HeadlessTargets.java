package dev.stampede.chaos.runner;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics endpoints of every pod behind a headless Service: each configured URL (e.g.
 * {@code http://auth.stampede.svc.cluster.local:8080/q/metrics}) is resolved to all its A/AAAA records — one per
 * ready pod of a headless Service — and becomes one URL per pod address, grouped by service. The service is the
 * first label of the host name ({@code auth}). A name that does not resolve (every pod down) gives no URL, which
 * the scraper shows as zero replicas up.
 *
 * <p>Stateless apart from the resolver; thread-safe if the resolver is.
 */
final class HeadlessTargets {

  /** Resolves a host name to its addresses. */
  @FunctionalInterface
  interface Resolver {
    /** The addresses, or an exception when the name does not resolve. */
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final List<URI> urls;
  private final Resolver resolver;

  /**
   * @param urls the configured metrics URLs
   * @param resolver DNS ({@code InetAddress::getAllByName}) or a fake
   * @throws IllegalArgumentException if a URL has no host
   */
  HeadlessTargets(List<String> urls, Resolver resolver) {
    this.urls = urls.stream().map(URI::create).toList();
    for (URI u : this.urls) {
      if (u.getHost() == null) {
        throw new IllegalArgumentException("kubernetes.metrics: '" + u + "' (expected: a URL with a host name)");
      }
    }
    this.resolver = resolver;
  }

  /** The service a metrics URL belongs to: the first label of its host. */
  static String serviceOf(URI url) {
    String host = url.getHost();
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  /** One URL per pod address, per service, resolved now. */
  Map<String, List<URI>> resolve() {
    Map<String, List<URI>> out = new LinkedHashMap<>();
    for (URI url : urls) {
      List<URI> pods = out.computeIfAbsent(serviceOf(url), k -> new ArrayList<>());
      InetAddress[] addresses;
      try {
        addresses = resolver.resolve(url.getHost());
      } catch (UnknownHostException e) {
        continue;
      }
      for (InetAddress a : addresses) {
        String host = a.getHostAddress();
        if (host.indexOf(':') >= 0) {
          host = "[" + host + "]";
        }
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        pods.add(URI.create(url.getScheme() + "://" + host + port + url.getRawPath() + query));
      }
    }
    return out;
  }
}

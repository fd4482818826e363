package dev.stampede.client.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Target strings of the client: a gRPC URI ({@code dns:///auth.stampede.svc.cluster.local:9000}) used as is, or a
 * comma-separated list of {@code host:port} (IPv6 in brackets) that the client balances round robin. Stateless.
 */
public final class Targets {
  /** The scheme of the SDK's resolver for fixed host lists. */
  public static final String STATIC_SCHEME = "stampede-static";

  private Targets() {
  }

  /** A host and a port of a fixed list. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  /** Whether {@code target} is a gRPC URI (it contains a '/'), as opposed to a host list. */
  public static boolean isUri(String target) {
    return target.indexOf('/') >= 0;
  }

  /**
   * Checks a target and returns it trimmed.
   *
   * @param name what the target is for, used in the message ("auth", "directory", "relay")
   * @throws IllegalArgumentException with a message naming {@code name} if the target is malformed
   */
  public static String validate(String name, String target) {
    Objects.requireNonNull(target, name);
    String trimmed = target.trim();
    if (trimmed.isEmpty()) {
      throw invalid(name, target);
    }
    if (isUri(trimmed)) {
      if (trimmed.chars().anyMatch(Character::isWhitespace)) {
        throw invalid(name, target);
      }
      return trimmed;
    }
    List<String> normalised = new ArrayList<>();
    for (HostPort hp : parseList(name, trimmed)) {
      normalised.add(hp.toString());
    }
    return String.join(",", normalised);
  }

  /**
   * Parses {@code host:port[,host:port...]}.
   *
   * @throws IllegalArgumentException naming {@code name} on any malformed entry
   */
  public static List<HostPort> parseList(String name, String list) {
    List<HostPort> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      out.add(parseHostPort(name, part.trim(), list));
    }
    return List.copyOf(out);
  }

  private static HostPort parseHostPort(String name, String s, String whole) {
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw invalid(name, whole);
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon) {
        throw invalid(name, whole);
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    if (host.isEmpty() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@')) {
      throw invalid(name, whole);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw invalid(name, whole);
    }
    if (p < 1 || p > 65535) {
      throw invalid(name, whole);
    }
    return new HostPort(host, p);
  }

  private static IllegalArgumentException invalid(String name, String target) {
    return new IllegalArgumentException(name + ": '" + target
        + "' (expected: host:port[,host:port...] or a gRPC URI such as dns:///name:port)");
  }

  /** The gRPC target for a validated target string: URIs as they are, host lists through the static resolver. */
  static String toGrpcTarget(String target) {
    if (isUri(target)) {
      return target;
    }
    try {
      // Quoted, so that bracketed IPv6 literals survive URI parsing.
      return new java.net.URI(STATIC_SCHEME, "", "/" + target, null, null).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("target: '" + target + "' (expected: host:port[,host:port...])", e);
    }
  }
}

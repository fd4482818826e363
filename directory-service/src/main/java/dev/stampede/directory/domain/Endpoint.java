package dev.stampede.directory.domain;

import java.util.Objects;

/**
 * One way to reach a device: a host (an IP literal in canonical form, or a DNS name), a port and how it was found.
 * Build validated instances through {@link Inputs#endpoint}; this record only guards against nulls and ranges.
 *
 * @param host an IPv4 literal, an IPv6 literal in RFC 5952 form, or a DNS name; 1..253 ASCII bytes
 * @param port 1..65535
 * @param kind how the endpoint was found
 */
public record Endpoint(String host, int port, EndpointKind kind) {
  /** @throws IllegalArgumentException if the host is empty or the port is out of range */
  public Endpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(kind, "kind");
    if (host.isEmpty() || host.length() > Inputs.MAX_HOST_BYTES) {
      throw new IllegalArgumentException("host: " + host.length() + " characters (expected: 1.."
          + Inputs.MAX_HOST_BYTES + ")");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
  }
}

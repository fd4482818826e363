package dev.stampede.k8s;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/**
 * NetworkPolicy semantics (networking.k8s.io/v1) for a set of policies, as a CNI enforces them: a pod selected by a
 * policy of a direction is isolated in that direction and only what some rule allows gets through; a connection
 * needs both the source's egress and the destination's ingress. Evaluated after service DNAT, like every CNI.
 */
final class NetworkPolicies {
  /** One end of a connection: a pod (namespace, labels, container ports) or an address outside the cluster. */
  record Endpoint(String description, String namespace, Map<String, String> namespaceLabels,
      Map<String, String> labels, List<ContainerPort> ports, String ip) {

    static Endpoint pod(String description, String namespace, Map<String, String> labels, List<ContainerPort> ports,
        String ip) {
      return new Endpoint(description, namespace, Map.of("kubernetes.io/metadata.name", namespace), labels, ports,
          ip);
    }

    static Endpoint external(String description, String ip) {
      return new Endpoint(description, null, Map.of(), Map.of(), List.of(), ip);
    }

    boolean isPod() {
      return namespace != null;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private final List<NetworkPolicy> policies;

  NetworkPolicies(List<NetworkPolicy> policies) {
    this.policies = List.copyOf(policies);
  }

  /** Whether {@code from} may open a connection to {@code to} on {@code port}/{@code protocol}. */
  boolean allows(Endpoint from, Endpoint to, int port, String protocol) {
    return egressAllowed(from, to, port, protocol) && ingressAllowed(from, to, port, protocol);
  }

  private boolean egressAllowed(Endpoint from, Endpoint to, int port, String protocol) {
    if (!from.isPod()) {
      return true;
    }
    List<NetworkPolicy> selecting = selecting(from, "Egress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy p : selecting) {
      for (var rule : p.getSpec().getEgress()) {
        if (peers(rule.getTo(), p, to) && ports(rule.getPorts(), to, port, protocol)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean ingressAllowed(Endpoint from, Endpoint to, int port, String protocol) {
    if (!to.isPod()) {
      return true;
    }
    List<NetworkPolicy> selecting = selecting(to, "Ingress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy p : selecting) {
      for (var rule : p.getSpec().getIngress()) {
        if (peers(rule.getFrom(), p, from) && ports(rule.getPorts(), to, port, protocol)) {
          return true;
        }
      }
    }
    return false;
  }

  private List<NetworkPolicy> selecting(Endpoint pod, String direction) {
    return policies.stream()
        .filter(p -> p.getMetadata().getNamespace().equals(pod.namespace()))
        .filter(p -> types(p).contains(direction))
        .filter(p -> Labels.matches(p.getSpec().getPodSelector(), pod.labels()))
        .toList();
  }

  private static List<String> types(NetworkPolicy p) {
    if (p.getSpec().getPolicyTypes() != null && !p.getSpec().getPolicyTypes().isEmpty()) {
      return p.getSpec().getPolicyTypes();
    }
    return p.getSpec().getEgress() == null || p.getSpec().getEgress().isEmpty() ? List.of("Ingress")
        : List.of("Ingress", "Egress");
  }

  private static boolean peers(List<NetworkPolicyPeer> peers, NetworkPolicy policy, Endpoint other) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        if (other.ip() != null && inCidr(other.ip(), peer.getIpBlock().getCidr())
            && (peer.getIpBlock().getExcept() == null
                || peer.getIpBlock().getExcept().stream().noneMatch(e -> inCidr(other.ip(), e)))) {
          return true;
        }
        continue;
      }
      if (!other.isPod()) {
        continue;
      }
      boolean namespaceOk = peer.getNamespaceSelector() == null
          ? other.namespace().equals(policy.getMetadata().getNamespace())
          : Labels.matches(peer.getNamespaceSelector(), other.namespaceLabels());
      boolean podOk = peer.getPodSelector() == null || Labels.matches(peer.getPodSelector(), other.labels());
      if (namespaceOk && podOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean ports(List<NetworkPolicyPort> ports, Endpoint to, int port, String protocol) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPort p : ports) {
      String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
      if (!proto.equals(protocol)) {
        continue;
      }
      IntOrString value = p.getPort();
      if (value == null) {
        return true;
      }
      int number;
      if (value.getStrVal() != null) {
        number = to.ports().stream().filter(c -> value.getStrVal().equals(c.getName()))
            .map(ContainerPort::getContainerPort).findFirst().orElse(-1);
      } else {
        number = value.getIntVal();
      }
      int end = p.getEndPort() == null ? number : p.getEndPort();
      if (port >= number && port <= end) {
        return true;
      }
    }
    return false;
  }

  static boolean inCidr(String ip, String cidr) {
    String[] parts = cidr.split("/");
    boolean v6 = ip.contains(":");
    if (v6 != parts[0].contains(":")) {
      return false;
    }
    int bits = Integer.parseInt(parts[1]);
    byte[] a = address(ip);
    byte[] b = address(parts[0]);
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] address(String literal) {
    try {
      return java.net.InetAddress.getByName(literal).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}

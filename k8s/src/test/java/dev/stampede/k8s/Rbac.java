package dev.stampede.k8s;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** RBAC rule semantics for namespaced requests, and the permissions a rule list grants, one per line. */
final class Rbac {
  /** One permission: {@code verb group resource[/subresource]}, e.g. {@code create "" pods/eviction}. */
  record Permission(String verb, String group, String resource) implements Comparable<Permission> {
    static Permission of(String verb, String group, String resource) {
      return new Permission(verb, group, resource);
    }

    @Override
    public int compareTo(Permission o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "core" : group) + " " + resource;
    }
  }

  private Rbac() {
  }

  /** Whether the rules allow a request, wildcards and resourceNames included (a named rule needs that name). */
  static boolean allows(List<PolicyRule> rules, Permission p, String name) {
    for (PolicyRule r : rules) {
      if (matches(r.getVerbs(), p.verb()) && matches(r.getApiGroups(), p.group())
          && matches(r.getResources(), p.resource())
          && (r.getResourceNames() == null || r.getResourceNames().isEmpty()
              || (name != null && r.getResourceNames().contains(name)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(List<String> values, String value) {
    return values != null && (values.contains(value) || values.contains("*"));
  }

  /** Every permission the rules spell out; a wildcard stays a "*" so that it can be refused. */
  static Set<Permission> granted(List<PolicyRule> rules) {
    Set<Permission> out = new TreeSet<>();
    for (PolicyRule r : rules) {
      for (String group : r.getApiGroups() == null ? List.<String>of() : r.getApiGroups()) {
        for (String resource : r.getResources() == null ? List.<String>of() : r.getResources()) {
          for (String verb : r.getVerbs()) {
            out.add(Permission.of(verb, group, resource));
          }
        }
      }
    }
    return out;
  }
}

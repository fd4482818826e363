package dev.stampede.chaos.restart;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a restart acts on: a namespace and a label selector, as in a Chaos Mesh {@code PodChaos.spec.selector}.
 *
 * <p>The selector is required and always has a positive requirement (see {@link Selector}); there is no way to
 * build a target that selects "everything". The namespace may be {@code null}, meaning the engine's default
 * namespace (the service account's namespace in a cluster, the kubeconfig context's namespace outside one); the
 * local engine has a single namespace and ignores it.
 *
 * @param namespace a Kubernetes namespace name, or {@code null} for the engine's default
 * @param selector the label selector, never {@code null}
 */
public record Target(String namespace, Selector selector) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * Validates the namespace syntax.
   *
   * @throws IllegalArgumentException if the namespace is not a DNS-1123 label or the selector is missing
   */
  public Target {
    if (selector == null) {
      throw new IllegalArgumentException(
          "selector: missing (expected: a label selector such as app.kubernetes.io/name=auth)");
    }
    if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace: '" + namespace
          + "' (expected: a DNS-1123 label, lower-case alphanumerics and '-', at most 63 characters)");
    }
  }

  /** A target in the engine's default namespace. */
  public static Target of(String selector) {
    return new Target(null, Selector.parse(selector));
  }

  /** A target in a given namespace. */
  public static Target of(String namespace, String selector) {
    return new Target(Objects.requireNonNull(namespace, "namespace"), Selector.parse(selector));
  }

  /** This target with the namespace filled in when it was left to the engine. */
  public Target inNamespace(String defaultNamespace) {
    return namespace != null ? this : new Target(defaultNamespace, selector);
  }

  @Override
  public String toString() {
    return (namespace == null ? "<default namespace>" : namespace) + " " + selector;
  }
}

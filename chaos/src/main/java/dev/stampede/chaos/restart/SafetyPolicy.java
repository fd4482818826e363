package dev.stampede.chaos.restart;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The guard rails an engine enforces on every plan, set by whoever operates the engine (command-line flags, the
 * chaos Job's arguments) rather than by the plan itself.
 *
 * <ul>
 *   <li>Namespaces whose name starts with {@code kube-} ({@code kube-system}, {@code kube-public},
 *       {@code kube-node-lease}) are always refused: Kubernetes reserves that prefix for the system.
 *   <li>{@code allowedNamespaces}: the only namespaces a plan may act in. Empty means "only the engine's
 *       default namespace" (the chaos Job's own namespace in a cluster), so a plan aimed elsewhere needs an
 *       explicit allowance.
 *   <li>{@code maxFraction}: the largest share of the matched targets one plan may take down at the same time.
 *       For {@code waves} that is one wave when it waits until ready, else every wave together (earlier waves
 *       may still be down). It does not apply to {@code rollout}, whose pace the workload's own update strategy
 *       ({@code maxUnavailable}) sets.
 * </ul>
 *
 * @param allowedNamespaces the namespaces plans may act in; empty for the engine's default namespace only
 * @param maxFraction the largest share of matched targets down at once, in (0, 1]
 */
public record SafetyPolicy(Set<String> allowedNamespaces, double maxFraction) {

  /** The default: the engine's own namespace only, no limit on the fraction. */
  public static final SafetyPolicy DEFAULT = new SafetyPolicy(Set.of(), 1.0);

  /** @throws IllegalArgumentException if {@code maxFraction} is not in (0, 1] */
  public SafetyPolicy {
    allowedNamespaces = Set.copyOf(new TreeSet<>(allowedNamespaces));
    if (!(maxFraction > 0 && maxFraction <= 1)) {
      throw new IllegalArgumentException("maxFraction: " + maxFraction + " (expected: > 0 and <= 1)");
    }
  }

  /** This policy with another fraction. */
  public SafetyPolicy withMaxFraction(double fraction) {
    return new SafetyPolicy(allowedNamespaces, fraction);
  }

  /** This policy with another allow-list. */
  public SafetyPolicy withAllowedNamespaces(Set<String> namespaces) {
    return new SafetyPolicy(namespaces, maxFraction);
  }

  /**
   * Checks that a plan may act in a namespace.
   *
   * @param namespace the resolved namespace of the plan
   * @param engineDefault the engine's default namespace
   * @throws RestartRefusedException if the namespace is a system namespace or not allowed
   */
  public void checkNamespace(String namespace, String engineDefault) {
    if (isSystemNamespace(namespace)) {
      throw new RestartRefusedException("refusing to act in namespace " + namespace
          + ": namespaces starting with kube- belong to the Kubernetes system and are never touched");
    }
    Set<String> allowed = allowedNamespaces.isEmpty() ? Set.of(engineDefault) : allowedNamespaces;
    if (!allowed.contains(namespace)) {
      throw new RestartRefusedException("refusing to act in namespace " + namespace + ": not in the allow-list "
          + new TreeSet<>(allowed) + " (allow it explicitly, e.g. --allow-namespace " + namespace + ")");
    }
  }

  /**
   * Checks the share of targets a plan takes down at once.
   *
   * @throws RestartRefusedException if {@code atOnce / matched} exceeds {@link #maxFraction()}
   */
  public void checkFraction(int atOnce, int matched, String what) {
    if (matched > 0 && atOnce > Math.floor(maxFraction * matched + 1e-9)) {
      throw new RestartRefusedException(String.format(Locale.ROOT,
          "refusing: %s would take down %d of %d matched targets at once (%.0f%%), above max-fraction %.2f",
          what, atOnce, matched, 100.0 * atOnce / matched, maxFraction));
    }
  }

  /** Whether a namespace is reserved for the Kubernetes system. */
  public static boolean isSystemNamespace(String namespace) {
    return namespace != null && namespace.startsWith("kube-");
  }
}

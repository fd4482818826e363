package dev.stampede.chaos.restart.kubernetes;

import dev.stampede.chaos.restart.ClusterAccessException;
import dev.stampede.chaos.restart.ClusterAccessException.Reason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;

/** Turns fabric8 failures into one-line {@link ClusterAccessException}s. */
final class KubernetesErrors {

  private KubernetesErrors() {}

  /** Whether the failure means the cluster cannot be used at all (unreachable, credentials, RBAC). */
  static boolean isAccessProblem(KubernetesClientException e) {
    return e.getCode() == 401 || e.getCode() == 403 || transportCause(e) != null;
  }

  /**
   * A one-line exception for {@code e}.
   *
   * @param what what was being done, e.g. {@code "list pods in namespace stampede"}
   * @param server the API server URL
   */
  static ClusterAccessException toAccess(KubernetesClientException e, String what, String server) {
    Throwable transport = transportCause(e);
    if (transport != null) {
      return new ClusterAccessException(Reason.UNREACHABLE,
          "cannot reach the Kubernetes API server at " + server + " (" + describe(transport) + ")", e);
    }
    if (e.getCode() == 401) {
      return new ClusterAccessException(Reason.UNAUTHORIZED, "the Kubernetes API server at " + server
          + " rejected the credentials (HTTP 401) while trying to " + what
          + "; check the kubeconfig context or the service-account token", e);
    }
    if (e.getCode() == 403) {
      return new ClusterAccessException(Reason.FORBIDDEN,
          "forbidden (HTTP 403) to " + what + ": " + apiMessage(e), e);
    }
    return new ClusterAccessException(Reason.API_ERROR,
        "could not " + what + ": HTTP " + e.getCode() + ": " + apiMessage(e), e);
  }

  /** The API server's own message, or the client's, on one line. */
  static String apiMessage(KubernetesClientException e) {
    String m = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    return oneLine(m);
  }

  static String oneLine(String s) {
    if (s == null) {
      return "no message";
    }
    String line = s.replaceAll("\\s+", " ").trim();
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }

  private static Throwable transportCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root.getClass().getSimpleName() + (m == null ? "" : ": " + oneLine(m));
  }
}

package dev.stampede.chaos.restart.kubernetes;

import dev.stampede.chaos.restart.ClusterAccessException;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server, with a SelfSubjectAccessReview, whether the engine's credentials may do what a plan needs,
 * before anything is touched. Kubernetes grants this review to every authenticated subject (the default
 * {@code system:basic-user} binding), so it needs nothing in the chaos Role. If the review cannot be made (an old
 * server, a proxy, a test double), the answer is "unknown" and the request itself will tell. Answers are cached.
 * Thread-safe.
 */
final class AccessReview {

  private static final Logger LOG = LoggerFactory.getLogger(AccessReview.class);

  private final KubernetesClient client;
  private final String server;
  private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

  AccessReview(KubernetesClient client, String server) {
    this.client = client;
    this.server = server;
  }

  /**
   * Throws if the API server says the credentials may not do {@code verb} on {@code resource}.
   *
   * @param group the API group, {@code ""} for the core group
   * @param subresource e.g. {@code eviction}, or {@code null}
   * @throws ClusterAccessException FORBIDDEN when denied, UNREACHABLE/UNAUTHORIZED when the server cannot be used
   */
  void require(String namespace, String verb, String group, String resource, String subresource) {
    String key = namespace + "|" + verb + "|" + group + "|" + resource + "|" + subresource;
    Boolean allowed = answers.get(key);
    if (allowed == null) {
      allowed = review(namespace, verb, group, resource, subresource);
      if (allowed != null) {
        answers.put(key, allowed);
      }
    }
    if (Boolean.FALSE.equals(allowed)) {
      String what = resource + (subresource == null ? "" : "/" + subresource)
          + (group.isEmpty() ? "" : " (API group " + group + ")");
      throw new ClusterAccessException(ClusterAccessException.Reason.FORBIDDEN, "forbidden: the current "
          + "credentials may not " + verb + " " + what + " in namespace " + namespace
          + " (RBAC; see k8s/chaos for the Role this engine needs)", null);
    }
  }

  private Boolean review(String namespace, String verb, String group, String resource, String subresource) {
    SelfSubjectAccessReview request = new SelfSubjectAccessReviewBuilder().withNewSpec()
        .withNewResourceAttributes().withNamespace(namespace).withVerb(verb).withGroup(group)
        .withResource(resource).withSubresource(subresource).endResourceAttributes().endSpec().build();
    try {
      SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(request);
      if (answer == null || answer.getStatus() == null || answer.getStatus().getAllowed() == null) {
        return null;
      }
      return answer.getStatus().getAllowed();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || (e.getCode() == 0 && KubernetesErrors.isAccessProblem(e))) {
        throw KubernetesErrors.toAccess(e, "check permissions", server);
      }
      LOG.debug("SelfSubjectAccessReview unavailable (HTTP {}); relying on the requests' own answers", e.getCode());
      return null;
    }
  }
}

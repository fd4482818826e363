package dev.stampede.admission;

import io.grpc.MethodDescriptor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server's map from gRPC method to {@link MethodPolicy}: each service declares it once. Methods not listed get
 * the default policy; health checking and reflection bypass admission unless listed. Immutable.
 *
 * <pre>{@code
 * MethodPolicies.builder()
 *     .method(AuthServiceGrpc.getResumeMethod(), Priority.RESUME)
 *     .method(AuthServiceGrpc.getLoginMethod(), MethodPolicy.withoutLatencySignal(Priority.LOGIN))
 *     .method("stampede.auth.v1.AuthService/CreateAccount", Priority.SHEDDABLE)
 *     .build();
 * }</pre>
 */
public final class MethodPolicies {
  /** Services whose methods bypass admission unless listed: probes must work on an overloaded server. */
  public static final String[] BYPASSED_SERVICES = {
      "grpc.health.v1.Health/",
      "grpc.reflection.v1.ServerReflection/",
      "grpc.reflection.v1alpha.ServerReflection/",
  };

  private static final MethodPolicies EMPTY = builder().build();

  private final Map<String, MethodPolicy> byMethod;
  private final MethodPolicy defaultPolicy;

  private MethodPolicies(Builder b) {
    this.byMethod = Map.copyOf(b.byMethod);
    this.defaultPolicy = b.defaultPolicy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** No methods listed; everything gets {@link Priority#SHEDDABLE}. */
  public static MethodPolicies empty() {
    return EMPTY;
  }

  /** The policy of {@code fullMethodName} ({@code "package.Service/Method"}). */
  public MethodPolicy policyFor(String fullMethodName) {
    MethodPolicy p = byMethod.get(fullMethodName);
    if (p != null) {
      return p;
    }
    for (String prefix : BYPASSED_SERVICES) {
      if (fullMethodName.startsWith(prefix)) {
        return MethodPolicy.BYPASS;
      }
    }
    return defaultPolicy;
  }

  /** The policy of methods not listed. */
  public MethodPolicy defaultPolicy() {
    return defaultPolicy;
  }

  /** The explicitly listed methods. */
  public Map<String, MethodPolicy> methods() {
    return byMethod;
  }

  /** A copy of these policies with the methods listed in {@code overrides} replaced or added; same default. */
  public MethodPolicies with(MethodPolicies overrides) {
    Builder b = builder().defaultPolicy(defaultPolicy);
    b.byMethod.putAll(byMethod);
    b.byMethod.putAll(overrides.byMethod);
    return b.build();
  }

  /** A copy of these policies with another default policy. */
  public MethodPolicies withDefault(MethodPolicy policy) {
    Builder b = builder().defaultPolicy(policy);
    b.byMethod.putAll(byMethod);
    return b.build();
  }

  @Override
  public String toString() {
    return "MethodPolicies" + byMethod + " default " + defaultPolicy;
  }

  /** Builds {@link MethodPolicies}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, MethodPolicy> byMethod = new LinkedHashMap<>();
    private MethodPolicy defaultPolicy = MethodPolicy.of(Priority.SHEDDABLE);

    private Builder() {
    }

    public Builder method(MethodDescriptor<?, ?> method, Priority priority) {
      return method(method.getFullMethodName(), MethodPolicy.of(priority));
    }

    public Builder method(MethodDescriptor<?, ?> method, MethodPolicy policy) {
      return method(method.getFullMethodName(), policy);
    }

    public Builder method(String fullMethodName, Priority priority) {
      return method(fullMethodName, MethodPolicy.of(priority));
    }

    /**
     * Sets the policy of {@code fullMethodName}.
     *
     * @throws IllegalArgumentException if the name is not of the form {@code package.Service/Method}
     */
    public Builder method(String fullMethodName, MethodPolicy policy) {
      Objects.requireNonNull(policy, "policy");
      if (fullMethodName == null || MethodDescriptor.extractFullServiceName(fullMethodName) == null
          || fullMethodName.endsWith("/")) {
        throw new IllegalArgumentException(
            "method: '" + fullMethodName + "' (expected: package.Service/Method)");
      }
      byMethod.put(fullMethodName, policy);
      return this;
    }

    /** The policy of methods not listed; default {@link Priority#SHEDDABLE}. */
    public Builder defaultPolicy(MethodPolicy policy) {
      this.defaultPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder defaultPriority(Priority priority) {
      return defaultPolicy(MethodPolicy.of(priority));
    }

    public MethodPolicies build() {
      return new MethodPolicies(this);
    }
  }
}

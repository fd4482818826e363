package dev.stampede.client.testing;

import io.grpc.StatusRuntimeException;

/** Decides whether the n-th call of a fake RPC fails, and how. */
@FunctionalInterface
public interface Fault {
  Fault NONE = n -> null;

  /** The failure for call number {@code n} (1-based), or null to answer normally. */
  StatusRuntimeException failure(int n);

  /** Fails the first {@code count} calls with {@code failure}. */
  static Fault first(int count, java.util.function.Supplier<StatusRuntimeException> failure) {
    return n -> n <= count ? failure.get() : null;
  }

  /** Fails every call. */
  static Fault always(java.util.function.Supplier<StatusRuntimeException> failure) {
    return n -> failure.get();
  }
}

package dev.stampede.client.observe;

import io.grpc.Status;

/**
 * A call ended, after all its attempts.
 *
 * @param service "auth", "directory" or "relay"
 * @param method the bare method name
 * @param attempts attempts actually sent (0 when the first was rejected locally)
 * @param code the final status code
 * @param rejectedLocally true when the call failed without the last attempt being sent
 * @param durationNanos from the call's start to its end
 */
public record CallEvent(String service, String method, int attempts, Status.Code code, boolean rejectedLocally,
    long durationNanos) {
}

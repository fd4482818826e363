package dev.stampede.client.observe;

/**
 * A retry was scheduled.
 *
 * @param service "auth", "directory" or "relay"
 * @param method the bare method name
 * @param nextAttempt the number of the attempt that will follow (2 for the first retry)
 * @param delayNanos how long the client waits before it
 * @param pushback true when the delay is the server's, false for a client backoff
 */
public record RetryEvent(String service, String method, int nextAttempt, long delayNanos, boolean pushback) {
}

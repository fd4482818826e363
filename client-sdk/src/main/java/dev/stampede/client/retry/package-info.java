/**
 * Retrying after a server answered: capped exponential backoff with full jitter, the server's pushback honoured
 * exactly, a retry budget and client-side adaptive throttling.
 *
 * <p>{@link dev.stampede.client.retry.RetryPolicy} is the plug point: {@link
 * dev.stampede.client.retry.StandardRetryPolicy} is the SDK's discipline, {@link
 * dev.stampede.client.retry.RetryPolicy#noRetry()} drives single attempts, and a caller may write its own (a
 * simulated legacy client, for instance). Whatever the policy, the SDK never retries {@code UNAUTHENTICATED},
 * {@code PERMISSION_DENIED} or {@code INVALID_ARGUMENT}.
 *
 * <p>Waiting for a connection (no server answered) is a different kind of waiting and lives in
 * {@link dev.stampede.client.transport}.
 */
package dev.stampede.client.retry;

package dev.stampede.client.observe;

import io.grpc.Status;

/**
 * One attempt ended.
 *
 * @param service "auth", "directory" or "relay"
 * @param method the bare method name, e.g. "Resume"
 * @param attempt 1 for the first attempt of the call
 * @param code the status code of the attempt
 * @param latencyNanos from sending the attempt to its end (includes waiting for a connection)
 * @param pushbackNanos the delay the server asked for, or -1
 * @param reachedServer whether the attempt left the client on a connection (false: it only waited for one)
 */
public record AttemptEvent(String service, String method, int attempt, Status.Code code, long latencyNanos,
    long pushbackNanos, boolean reachedServer) {

  /** Whether the server asked for a delay. */
  public boolean pushedBack() {
    return pushbackNanos >= 0;
  }
}

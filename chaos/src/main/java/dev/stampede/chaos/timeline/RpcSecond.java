package dev.stampede.chaos.timeline;

/**
 * One kind of RPC in one second of the timeline.
 *
 * @param attempts RPCs sent
 * @param successes RPCs answered OK
 * @param rejected overload answers with a retry delay (pushback)
 * @param errors other failures: {@code timeouts + unreachable} + the rest
 * @param timeouts deadline exceeded
 * @param unreachable no server answered (connection refused or reset)
 * @param p50Ms median latency of the successes, ms ({@code null} without successes)
 * @param p99Ms 99th percentile latency of the successes, ms ({@code null} without successes)
 */
public record RpcSecond(long attempts, long successes, long rejected, long errors, long timeouts, long unreachable,
    Double p50Ms, Double p99Ms) {

  /** Nothing happened. */
  public static final RpcSecond EMPTY = new RpcSecond(0, 0, 0, 0, 0, 0, null, null);
}

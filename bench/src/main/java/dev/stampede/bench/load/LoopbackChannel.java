package dev.stampede.bench.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * The client channel of every benchmark: plaintext to 127.0.0.1, built to cost the CPU it shares with the server
 * under test as little as possible.
 *
 * <ul>
 *   <li><b>Callbacks on the transport thread</b> ({@code directExecutor}): the default executor hands every
 *       response to a pooled thread, one wake-up per call. On the 2-core machines here that hand-off was half of the
 *       load generator's CPU: a closed loop of 64 anchor calls cost the client ~60 µs per call with it and ~20 µs
 *       without (BENCHMARKS.md, "the load generator's own cost"). Nothing the benchmarks run in a callback blocks:
 *       completions only record, hand back a ticket or start the next call.</li>
 *   <li><b>The shaded transport</b>, which carries Netty's native epoll transport (fewer system calls per read and
 *       write than NIO), falling back to NIO where it cannot load.</li>
 * </ul>
 */
public final class LoopbackChannel {
  private LoopbackChannel() {
  }

  /** A channel to {@code 127.0.0.1:port}. */
  public static ManagedChannel open(int port) {
    return builder(port).build();
  }

  /** A channel to {@code 127.0.0.1:port} with an HTTP/2 flow-control window of {@code window} bytes. */
  public static ManagedChannel open(int port, int window) {
    return builder(port).flowControlWindow(window).build();
  }

  private static NettyChannelBuilder builder(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor();
  }
}

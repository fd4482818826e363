/**
 * The forwarding core: {@link dev.stampede.relay.forward.Session}s of two streams joined by
 * {@link dev.stampede.relay.forward.Pipe}s with end-to-end flow control and bounded buffers, and the pod-wide
 * {@link dev.stampede.relay.forward.BandwidthLimiter}. Independent of Quarkus and Redis; the gRPC edge plugs in
 * through {@link dev.stampede.relay.forward.StreamHandle}.
 */
package dev.stampede.relay.forward;

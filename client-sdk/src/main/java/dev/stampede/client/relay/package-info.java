/**
 * Relay streams with end-to-end backpressure: {@link dev.stampede.client.relay.RelayStream} exposes gRPC flow
 * control on both sides (send only while ready; receive as fast as the listener consumes).
 */
package dev.stampede.client.relay;

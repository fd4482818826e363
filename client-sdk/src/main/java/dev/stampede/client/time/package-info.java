/**
 * The one source of time of the SDK. Every delay the client waits (backoff, pushback, heartbeats, session
 * refresh, reconnect pacing) and every deadline it sets goes through a {@link dev.stampede.client.time.TimeSource},
 * so tests and simulations replace real time with a {@link dev.stampede.client.time.FakeClock}.
 */
package dev.stampede.client.time;

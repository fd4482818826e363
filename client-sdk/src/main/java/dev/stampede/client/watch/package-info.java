/**
 * Presence watches that survive server restarts: {@link dev.stampede.client.watch.PresenceWatch} re-subscribes
 * when the stream ends and delivers the fresh snapshot.
 */
package dev.stampede.client.watch;

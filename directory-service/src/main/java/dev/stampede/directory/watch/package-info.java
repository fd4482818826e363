/**
 * Watch: the pod-wide fan-out of presence changes ({@link dev.stampede.directory.watch.PresenceHub}), fed by Redis
 * pub/sub so that a change made through any pod reaches the watchers on every pod.
 */
package dev.stampede.directory.watch;

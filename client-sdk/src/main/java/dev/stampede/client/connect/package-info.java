/**
 * The connect flow of one user on one device: resume first, password log-in only when the ticket is invalid,
 * presence registration, heartbeats, session refresh, and a state listener (offline, connecting, online). Many
 * {@link dev.stampede.client.connect.Connection}s share one {@link dev.stampede.client.StampedeClient} and hold no
 * thread each.
 */
package dev.stampede.client.connect;

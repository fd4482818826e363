/**
 * The Stampede client: {@link dev.stampede.client.StampedeClient} owns the channels to auth, directory and relay
 * and gives typed, retrying access to every RPC of the v1 contracts through {@link dev.stampede.client.AuthClient},
 * {@link dev.stampede.client.DirectoryClient} and {@link dev.stampede.client.RelayClient}, each with a
 * {@link java.util.concurrent.CompletableFuture} and a blocking form.
 *
 * <p>The connect flow (resume, log-in fallback, presence, heartbeats, session refresh) builds on this API in
 * {@link dev.stampede.client.connect}.
 */
package dev.stampede.client;

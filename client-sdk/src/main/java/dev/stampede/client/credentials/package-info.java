/**
 * Where a client keeps its resume ticket across restarts — what makes a rebooted client resume in microseconds
 * instead of logging in with a password. {@link dev.stampede.client.credentials.CredentialStore#inMemory()} for
 * simulations, {@link dev.stampede.client.credentials.CredentialStore#file(java.nio.file.Path)} for real devices.
 */
package dev.stampede.client.credentials;

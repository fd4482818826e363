/**
 * auth's domain logic, free of Quarkus and Redis: names and input limits, Argon2id password hashing, resume
 * tickets, and the {@link dev.stampede.auth.domain.Accounts} and {@link dev.stampede.auth.domain.Sessions} services
 * over the store ports {@link dev.stampede.auth.domain.AccountStore} and
 * {@link dev.stampede.auth.domain.SessionStore}. Failures are domain exceptions; the gRPC edge maps them.
 */
package dev.stampede.auth.domain;

/**
 * Cluster-wide rate budgets (GCRA in one Lua script on Redis, failing open to a local limiter), e.g. failed log-ins
 * per account and per source.
 */
package dev.stampede.admission.budget;

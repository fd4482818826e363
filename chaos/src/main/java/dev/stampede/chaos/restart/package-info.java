/**
 * Restart engines: the server half of a reboot storm. A {@link dev.stampede.chaos.restart.RestartPlan} names
 * targets ({@link dev.stampede.chaos.restart.Target}: namespace + required label selector), which of them
 * ({@link dev.stampede.chaos.restart.Mode}: Chaos Mesh's one, all, fixed, fixed-percent, random-max-percent, plus
 * waves) and what to do ({@link dev.stampede.chaos.restart.Action}: kill, evict, rollout, fail). A
 * {@link dev.stampede.chaos.restart.RestartEngine} carries it out under the guard rails of a
 * {@link dev.stampede.chaos.restart.SafetyPolicy} and records every step, with its time, in a
 * {@link dev.stampede.chaos.restart.Journal}; the {@link dev.stampede.chaos.restart.RestartResult} carries t_ready.
 *
 * <p>Engines: {@code kubernetes.KubernetesEngine} (fabric8) and {@code local.LocalEngine} (the replicas of a
 * {@code local.LocalStack}). {@code chaosmesh.PodChaosImport} reads Chaos Mesh PodChaos files.
 */
package dev.stampede.chaos.restart;

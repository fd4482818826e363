/**
 * The Kubernetes restart engine on fabric8: deletes, evicts (PodDisruptionBudget refusals reported, never retried)
 * and rollout-restarts the Deployments and StatefulSets behind pods, within the chaos Role's permissions.
 */
package dev.stampede.chaos.restart.kubernetes;

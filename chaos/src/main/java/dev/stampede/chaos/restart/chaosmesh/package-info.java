/** Reads Chaos Mesh {@code PodChaos} files into restart plans, refusing clearly what has no equivalent. */
package dev.stampede.chaos.restart.chaosmesh;

package dev.stampede.chaos.experiment;

import java.util.Map;
import java.util.TreeMap;

/**
 * The system under test when the runner starts it itself (the {@code local} engine): replicas per service and
 * whether admission control is on. The {@code kubernetes} engine uses what is deployed and ignores this.
 *
 * @param admission {@code stampede.admission.enabled} for every service (false = the naive server)
 * @param replicas replicas per service ({@code auth}, {@code directory}, {@code relay}), each at least 1
 */
public record Stack(boolean admission, Map<String, Integer> replicas) {

  /** One auth and one directory replica, admission on. */
  public static final Stack DEFAULT = new Stack(true, Map.of("auth", 1, "directory", 1));

  /** Copies the map (sorted by service). */
  public Stack {
    replicas = Map.copyOf(new TreeMap<>(replicas));
  }

  /** The same stack with admission switched on or off. */
  public Stack withAdmission(boolean on) {
    return new Stack(on, replicas);
  }
}

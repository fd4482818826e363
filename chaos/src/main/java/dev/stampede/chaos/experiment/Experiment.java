package dev.stampede.chaos.experiment;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chaos experiment (DESIGN §6): a population of virtual clients brought online on a ramp below capacity, a
 * calibration phase that measures C, faults (restart-engine actions) and a storm (the clients' reboot) after the
 * trigger t0, an observation window, and the SLOs the run is judged by.
 *
 * <p>Read from YAML by {@link ExperimentParser}; immutable. The {@code with*} methods give variants (the demo
 * runs one experiment with three stacks and profiles).
 *
 * @param name short name, used in reports and account prefixes
 * @param description what the experiment asks, one paragraph
 * @param population the virtual clients
 * @param stack the local stack the runner starts (local engine)
 * @param kubernetes where the system runs for the kubernetes engine, if given
 * @param steady the ramp and hold before the trigger
 * @param calibration how C is measured
 * @param faults restart actions after t0, in file order
 * @param storm the clients' reboot
 * @param observation how long to watch
 * @param slos the objectives; a run passes when every one holds
 */
public record Experiment(String name, String description, Population population, Stack stack,
    Optional<KubernetesTarget> kubernetes, SteadyPhase steady, Calibration calibration, List<Fault> faults,
    Storm storm, Observation observation, List<Slo> slos) {

  /** Checks presence and that the calibration can run where it is placed, and copies the lists. */
  public Experiment {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(population, "population");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(steady, "steady");
    Objects.requireNonNull(calibration, "calibration");
    Objects.requireNonNull(storm, "storm");
    Objects.requireNonNull(observation, "observation");
    calibration.conflictWith(steady).ifPresent(problem -> {
      throw new IllegalArgumentException("calibration.when: " + problem);
    });
    description = description == null ? "" : description;
    kubernetes = kubernetes == null ? Optional.empty() : kubernetes;
    faults = List.copyOf(faults);
    slos = List.copyOf(slos);
  }

  /** N: the number of clients that reboot in the storm. */
  public int stormClients() {
    return storm.clients(population.clients());
  }

  /** The mix the calibration measures for this experiment's storm. */
  public RecoveryMix recoveryMix() {
    return calibration.mixFor(storm.profile());
  }

  /** This experiment with another population size (the same shares of it reboot). */
  public Experiment withClients(int clients) {
    return new Experiment(name, description, population.withClients(clients), stack, kubernetes, steady,
        calibration, faults, storm, observation, slos);
  }

  /** This experiment with the storm's clients on another profile. */
  public Experiment withProfile(Profile profile) {
    return new Experiment(name, description, population, stack, kubernetes, steady, calibration, faults,
        storm.withProfile(profile), observation, slos);
  }

  /** This experiment against a stack with admission on or off. */
  public Experiment withAdmission(boolean admission) {
    return new Experiment(name, description, population, stack.withAdmission(admission), kubernetes, steady,
        calibration, faults, storm, observation, slos);
  }

  /** This experiment judged by other SLOs. */
  public Experiment withSlos(List<Slo> newSlos) {
    return new Experiment(name, description, population, stack, kubernetes, steady, calibration, faults, storm,
        observation, newSlos);
  }

  /** This experiment with another observation policy. */
  public Experiment withObservation(Observation o) {
    return new Experiment(name, description, population, stack, kubernetes, steady, calibration, faults, storm, o,
        slos);
  }

  /** This experiment with another calibration. */
  public Experiment withCalibration(Calibration c) {
    return new Experiment(name, description, population, stack, kubernetes, steady, c, faults, storm, observation,
        slos);
  }

  /** This experiment with another steady phase. */
  public Experiment withSteady(SteadyPhase s) {
    return new Experiment(name, description, population, stack, kubernetes, s, calibration, faults, storm,
        observation, slos);
  }

  /** This experiment with another storm. */
  public Experiment withStorm(Storm s) {
    return new Experiment(name, description, population, stack, kubernetes, steady, calibration, faults, s,
        observation, slos);
  }
}

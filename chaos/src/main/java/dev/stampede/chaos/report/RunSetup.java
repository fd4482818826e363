package dev.stampede.chaos.report;

import dev.stampede.chaos.experiment.Profile;
import dev.stampede.chaos.experiment.RecoveryMix;

/**
 * What a run was: the label under which it is shown, the system's configuration and the storm's shape.
 *
 * @param label the run's name in a comparison ({@code unprotected}, {@code protected}) or the experiment's name
 * @param experiment the experiment's name
 * @param description the experiment's description
 * @param engine {@code local} or {@code kubernetes}
 * @param admission whether admission control was on
 * @param profile the storm clients' profile
 * @param mix the recovery mix C was measured for
 * @param population the number of virtual clients
 * @param clients N, the clients that rebooted
 */
public record RunSetup(String label, String experiment, String description, String engine, boolean admission,
    Profile profile, RecoveryMix mix, int population, int clients) {
}

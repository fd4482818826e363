package dev.stampede.admission.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stampede.admission.Priority;
import dev.stampede.admission.limit.PriorityShares;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The mapping of {@code stampede.admission.<priority>.*} onto the limit's shares and caps. */
class AdmissionProducersTest {

  /** A priority's settings: what {@code values} names, everything else unset. */
  private static AdmissionSettings.PrioritySettings priority(Map<String, Object> values) {
    return (AdmissionSettings.PrioritySettings) Proxy.newProxyInstance(
        AdmissionProducersTest.class.getClassLoader(), new Class<?>[] {AdmissionSettings.PrioritySettings.class},
        (proxy, method, args) -> {
          if (values.containsKey(method.getName())) {
            return values.get(method.getName());
          }
          Class<?> type = method.getReturnType();
          return type == OptionalInt.class ? OptionalInt.empty()
              : type == OptionalDouble.class ? OptionalDouble.empty() : Optional.empty();
        });
  }

  private static AdmissionSettings settings(Map<String, AdmissionSettings.PrioritySettings> priorities) {
    return (AdmissionSettings) Proxy.newProxyInstance(
        AdmissionProducersTest.class.getClassLoader(), new Class<?>[] {AdmissionSettings.class},
        (proxy, method, args) -> priorities.getOrDefault(method.getName(), priority(Map.of())));
  }

  @Test
  void shares_takeEachPrioritysReservedShareAndInflightCap_andTheDefaultsElsewhere() {
    PriorityShares shares = AdmissionProducers.shares(settings(Map.of(
        "login", priority(Map.of("maxInflight", OptionalInt.of(8))),
        "resume", priority(Map.of("reservedShare", OptionalDouble.of(0.3))))));

    assertThat(shares.maxInflight(Priority.LOGIN)).isEqualTo(8);
    assertThat(shares.maxInflight(Priority.RESUME)).isZero();
    assertThat(shares.maxInflight(Priority.CRITICAL)).isZero();
    assertThat(shares.share(Priority.RESUME)).isEqualTo(0.3);
    assertThat(shares.share(Priority.CRITICAL)).isEqualTo(PriorityShares.DEFAULT.share(Priority.CRITICAL));
    assertThat(shares.share(Priority.LOGIN)).isEqualTo(PriorityShares.DEFAULT.share(Priority.LOGIN));
  }

  @Test
  void shares_withNothingSet_areTheDefaultsWithoutCaps() {
    PriorityShares shares = AdmissionProducers.shares(settings(Map.of()));

    for (Priority p : Priority.values()) {
      assertThat(shares.share(p)).isEqualTo(PriorityShares.DEFAULT.share(p));
      assertThat(shares.maxInflight(p)).isZero();
    }
  }
}

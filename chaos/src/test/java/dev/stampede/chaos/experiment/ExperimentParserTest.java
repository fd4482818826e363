package dev.stampede.chaos.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExperimentParserTest {
  private static final Path SHIPPED = Path.of("..", "experiments");
  private final ExperimentParser parser = new ExperimentParser();

  private static final String MINIMAL = """
      name: tiny
      population:
        clients: 100
      storm:
        profile: sdk
      """;

  private Experiment parse(String yaml) {
    return parser.parse("test.yaml", new StringReader(yaml));
  }

  private ExperimentException failure(String yaml) {
    try {
      parse(yaml);
    } catch (ExperimentException e) {
      return e;
    }
    throw new AssertionError("expected an ExperimentException for:\n" + yaml);
  }

  @Test
  void minimal_getsDocumentedDefaults() {
    Experiment e = parse(MINIMAL);

    assertThat(e.name()).isEqualTo("tiny");
    assertThat(e.population().clients()).isEqualTo(100);
    assertThat(e.population().usernamePrefix()).isEmpty();
    assertThat(e.stack()).isEqualTo(Stack.DEFAULT);
    assertThat(e.steady()).isEqualTo(SteadyPhase.DEFAULT);
    assertThat(e.calibration()).isEqualTo(Calibration.DEFAULT);
    assertThat(e.observation()).isEqualTo(Observation.DEFAULT);
    assertThat(e.faults()).isEmpty();
    assertThat(e.slos()).isEmpty();
    assertThat(e.storm().waves()).singleElement().satisfies(w -> {
      assertThat(w.clients().of(100)).isEqualTo(100);
      assertThat(w.arrival()).isEqualTo(Arrival.ALL_AT_ONCE);
    });
    assertThat(e.stormClients()).isEqualTo(100);
    assertThat(e.recoveryMix()).isEqualTo(RecoveryMix.RESUME);
  }

  @Test
  void afterRampCalibration_withARampRateInUnitsOfC_isRefusedHoweverTheExperimentIsBuilt() {
    Experiment e = new ExperimentParser().parse("x.yaml", new StringReader(
        "name: x\npopulation: {clients: 1}\nstorm: {profile: sdk}\nsteady: {ramp_rate: 0.5C}\n"));
    Calibration afterRamp = new Calibration(Optional.empty(), Duration.ZERO, Duration.ofSeconds(1), 1,
        Calibration.When.AFTER_RAMP);

    assertThatThrownBy(() -> e.withCalibration(afterRamp)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("calibration.when: after-ramp (expected: start, because steady.ramp_rate 0.5C needs C before the "
            + "ramp)");
    assertThat(e.withSteady(SteadyPhase.DEFAULT).withCalibration(afterRamp).calibration().when())
        .isEqualTo(Calibration.When.AFTER_RAMP);
  }

  @Test
  void patchTuesday_parsesAsShipped() {
    Experiment e = parser.parse(SHIPPED.resolve("patch-tuesday.yaml"));

    assertThat(e.name()).isEqualTo("patch-tuesday");
    assertThat(e.faults()).singleElement().satisfies(f -> {
      assertThat(f.selector()).isEqualTo("app.kubernetes.io/name in (auth,directory)");
      assertThat(f.mode()).isEqualTo("all");
      assertThat(f.action()).isEqualTo("kill");
      assertThat(f.grace()).contains(Duration.ZERO);
      assertThat(f.awaitsReady()).isTrue();
    });
    assertThat(e.storm().profile()).isEqualTo(Profile.SDK);
    assertThat(e.storm().window(1000, 50)).isEqualTo(Duration.ofSeconds(10));
    assertThat(e.slos()).extracting(Slo::toString)
        .containsExactly("recovery_ratio <= 1.5", "attempts_per_client <= 2", "p99_resume_ms <= 500");
  }

  @Test
  void metastable_windowFollowsTheCalibratedCapacity() {
    Experiment e = parser.parse(SHIPPED.resolve("metastable.yaml"));

    assertThat(e.storm().profile()).isEqualTo(Profile.SKYPE2007);
    assertThat(e.recoveryMix()).isEqualTo(RecoveryMix.LOGIN);
    assertThat(e.storm().waves()).hasSize(2);
    // 75 % of 1500 = 1125 clients at 0.8 x 25/s = 20/s -> 56.25 s, starting 5 s after t0.
    assertThat(e.storm().window(1500, 25)).isEqualTo(Duration.ofMillis(61_250));
    assertThat(e.stormClients()).isEqualTo(1500);
  }

  @Test
  void redisRestart_requiresNoPasswordLogIns() {
    Experiment e = parser.parse(SHIPPED.resolve("redis-restart.yaml"));

    assertThat(e.faults()).singleElement().extracting(Fault::selector).isEqualTo("app.kubernetes.io/name=redis");
    assertThat(e.slos()).extracting(Slo::toString).contains("login_attempts == 0", "recovered == 1");
  }

  @Test
  void everyOption_isRead() {
    Experiment e = parse("""
        name: full
        description: all of it
        population: {clients: 2_000, username_prefix: exp-1}
        stack: {admission: false, replicas: {auth: 2, directory: 3, relay: 0}}
        kubernetes:
          namespace: stampede
          auth: dns:///auth.stampede.svc:9000
          directory: dns:///directory.stampede.svc:9000
          metrics: [http://auth.stampede.svc:8080/q/metrics]
          admin_credential_env: SEED_CREDENTIAL
        steady: {ramp_concurrency: 8, ramp_rate: 40/s, hold: 1m30s}
        calibration: {mix: login, warmup: 500ms, duration: 3s, concurrency: 4}
        faults:
          - {name: w, at: 2s, namespace: ns, selector: app=a, mode: waves,
             waves: {fraction: 0.5, interval: 10s, wait_until_ready: true}, action: evict, grace: 5s}
          - {selector: app=b, mode: fixed-percent, value: 50, action: fail, duration: 20s, await_ready: false}
        storm:
          profile: skype2007
          at: 1s
          boot_time: 2s
          waves:
            - {clients: 10%, arrival: all-at-once}
            - {clients: 1800, start: 3s, window: 30s}
        observation: {bound_multiple: 6, min: 1m, max: 20m, tail: none}
        slos: ["recovered == true", "t99_s < 60", "error_ratio<0.01"]
        """);

    assertThat(e.population().usernamePrefix()).contains("exp-1");
    assertThat(e.stack().admission()).isFalse();
    assertThat(e.stack().replicas()).containsEntry("auth", 2).containsEntry("directory", 3).containsEntry("relay", 0);
    assertThat(e.kubernetes()).hasValueSatisfying(k -> {
      assertThat(k.namespace()).contains("stampede");
      assertThat(k.metrics()).hasSize(1);
      assertThat(k.adminCredentialEnv()).isEqualTo("SEED_CREDENTIAL");
    });
    assertThat(e.steady()).isEqualTo(new SteadyPhase(8, Optional.of(Rate.perSecond(40)), Duration.ofSeconds(90)));
    assertThat(e.calibration().mix()).contains(RecoveryMix.LOGIN);
    assertThat(e.calibration().when()).isEqualTo(Calibration.When.START);
    assertThat(e.faults().get(0).waves()).contains(new Fault.Waves(0.5, Duration.ofSeconds(10), true));
    assertThat(e.faults().get(0).grace()).contains(Duration.ofSeconds(5));
    assertThat(e.faults().get(1).name()).isEqualTo("fault-2");
    assertThat(e.faults().get(1).value()).isEqualTo(50);
    assertThat(e.faults().get(1).failFor()).contains(Duration.ofSeconds(20));
    assertThat(e.faults().get(1).awaitsReady()).isFalse();
    assertThat(e.stormClients()).isEqualTo(2000);
    // at 1 s + boot 2 s + (start 3 s + window 30 s)
    assertThat(e.storm().window(2000, 10)).isEqualTo(Duration.ofSeconds(36));
    assertThat(e.observation().tail()).isEmpty();
    assertThat(e.observation().window(100)).isEqualTo(Duration.ofMinutes(10));
    assertThat(e.slos()).hasSize(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top-level field      | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nstrom: 1     | strom            | unknown field
      missing name                 | population: {clients: 1}\\nstorm: {profile: sdk}                           | name             | missing (required)
      bad name                     | name: Bad Name\\npopulation: {clients: 1}\\nstorm: {profile: sdk}          | name             | lower-case
      missing population           | name: x\\nstorm: {profile: sdk}                                            | population       | missing
      zero clients                 | name: x\\npopulation: {clients: 0}\\nstorm: {profile: sdk}                 | population.clients | 1..200000
      clients not a number         | name: x\\npopulation: {clients: many}\\nstorm: {profile: sdk}              | population.clients | 'many'
      clients as a list            | name: x\\npopulation: {clients: [1]}\\nstorm: {profile: sdk}              | population.clients | a list
      unknown profile              | name: x\\npopulation: {clients: 1}\\nstorm: {profile: skype}               | storm.profile    | sdk, skype2007
      missing storm                | name: x\\npopulation: {clients: 1}                                         | storm            | missing
      duration without unit        | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk, window: 30}     | storm.window     | with a unit
      window with all-at-once      | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk, arrival: all-at-once, window: 3s} | storm.window | all-at-once
      uniform without window       | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk, arrival: uniform} | storm.arrival | without a window or rate
      window and rate              | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk, window: 3s, rate: 0.5C} | storm.rate | either window or rate
      bad rate                     | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk, rate: fast}     | storm.rate       | 0.8C
      zero rate                    | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk, rate: 0C}       | storm.rate       | a rate > 0
      bad arrival                  | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk, arrival: burst} | storm.arrival    | all-at-once, uniform
      percent above 100            | name: x\\npopulation: {clients: 10}\\nstorm: {profile: sdk, clients: 150%} | storm.clients    | <= 100%
      more clients than population | name: x\\npopulation: {clients: 10}\\nstorm: {profile: sdk, clients: 11}   | storm            | at most the population, 10
      waves over the population    | name: x\\npopulation: {clients: 10}\\nstorm: {profile: sdk, waves: [{clients: 60%}, {clients: 50%}]} | storm.waves | 11 rebooting clients
      wave without clients         | name: x\\npopulation: {clients: 10}\\nstorm: {profile: sdk, waves: [{arrival: all-at-once}]} | storm.waves[0].clients | missing
      wave unknown field           | name: x\\npopulation: {clients: 10}\\nstorm: {profile: sdk, waves: [{clients: 1, widow: 3s}]} | storm.waves[0].widow | unknown field
      waves and shorthand          | name: x\\npopulation: {clients: 10}\\nstorm: {profile: sdk, window: 3s, waves: [{clients: 1}]} | storm.window | given next to storm.waves
      empty waves                  | name: x\\npopulation: {clients: 10}\\nstorm: {profile: sdk, waves: []}     | storm.waves      | at least one wave
      a share that is nobody       | name: x\\npopulation: {clients: 10}\\nstorm: {profile: sdk, clients: 1%}   | storm.clients    | nobody
      ramp at capacity             | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nsteady: {ramp_rate: 1C} | steady.ramp_rate | below capacity
      zero calibration             | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\ncalibration: {duration: 0s} | calibration.duration | > 0
      bad mix                      | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\ncalibration: {mix: both} | calibration.mix | auto, login, resume
      bad calibration time         | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\ncalibration: {when: later} | calibration.when | start, after-ramp
      C-relative ramp after ramp   | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nsteady: {ramp_rate: 0.5C}\\ncalibration: {when: after-ramp} | calibration.when | needs C before the ramp
      fault without selector       | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{mode: all}] | faults[0].selector | missing
      fault bad mode               | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, mode: some}] | faults[0].mode | fixed-percent
      fixed without value          | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, mode: fixed}] | faults[0].value | missing
      percent out of range         | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, mode: fixed-percent, value: 101}] | faults[0].value | 1..100
      value with mode all          | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, value: 2}] | faults[0].value | only with fixed
      waves without waves          | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, mode: waves}] | faults[0].waves | missing
      wave fraction above 1        | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, mode: waves, waves: {fraction: 2, interval: 1s}}] | faults[0].waves.fraction | <= 1
      fail without duration        | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, action: fail}] | faults[1-1].duration | missing
      grace with rollout           | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, action: rollout, grace: 1s}] | faults[0].grace | only with kill or evict
      bad action                   | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [{selector: a=b, action: reboot}] | faults[0].action | evict
      fault as a value             | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: [kill-auth] | faults[0] | a mapping
      faults not a list            | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nfaults: {selector: a=b} | faults | a list
      slo bad metric               | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nslos: [speed <= 1] | slos[0] | is not a metric
      slo bad operator             | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nslos: [recovery_ratio ~ 1] | slos[0] | METRIC OP NUMBER
      slo bad number               | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nslos: [recovery_ratio <= low] | slos[0] | expected: a number
      observation max below min    | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nobservation: {min: 2m, max: 1m} | observation.max | max >= min
      bound multiple below one     | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nobservation: {bound_multiple: 0.5} | observation.bound_multiple | >= 1
      admission not boolean        | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nstack: {admission: maybe} | stack.admission | true or false
      unknown service              | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nstack: {replicas: {gateway: 1}} | stack.replicas.gateway | unknown field
      zero auth replicas           | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nstack: {replicas: {auth: 0}} | stack.replicas.auth | 1..16
      kubernetes without auth      | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nkubernetes: {directory: d} | kubernetes.auth | missing
      bad metrics url              | name: x\\npopulation: {clients: 1}\\nstorm: {profile: sdk}\\nkubernetes: {auth: a, directory: d, metrics: [ftp://x]} | kubernetes.metrics[0] | http(s) URL
      bad prefix                   | name: x\\npopulation: {clients: 1, username_prefix: 'a b'}\\nstorm: {profile: sdk} | population.username_prefix | A-Z
      duplicate key                | name: x\\nname: y\\npopulation: {clients: 1}\\nstorm: {profile: sdk}      | name             | given twice
      """)
  void badFile_failsNamingTheField(String why, String yaml, String field, String expected) {
    ExperimentException e = failure(yaml.replace("\\n", "\n"));

    assertThat(e.field()).as(why).isEqualTo(field.replace("[1-1]", "[0]"));
    assertThat(e.getMessage()).as(why).startsWith("test.yaml:").contains(field.replace("[1-1]", "[0]") + ": ")
        .contains(expected);
  }

  @Test
  void error_pointsAtLineAndColumn() {
    ExperimentException e = failure("""
        name: x
        population:
          clients: 1
        storm:
          profile: sdk
          window: soon
        """);

    assertThat(e.getMessage()).startsWith("test.yaml:6:11: storm.window: 'soon'");
  }

  @Test
  void invalidYaml_saysSoWithThePosition() {
    ExperimentException e = failure("name: x\npopulation: {clients: 1\n");

    assertThat(e.field()).isEmpty();
    assertThat(e.getMessage()).startsWith("test.yaml:").contains("not valid YAML");
  }

  @Test
  void emptyFile_isAnError() {
    assertThat(failure("").getMessage()).contains("the file is empty");
    assertThat(failure("- a\n- b\n").getMessage()).contains("expected: a mapping of fields");
  }

  @Test
  void aliasBomb_isRefused() {
    StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char prev = (char) (c - 1);
      yaml.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 10; i++) {
        yaml.append(i == 0 ? "" : ", ").append('*').append(prev);
      }
      yaml.append("]\n");
    }
    assertThat(failure(yaml.toString()).getMessage()).contains("not valid YAML");
  }

  @Test
  void missingFile_namesIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> parser.parse(missing)).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("nope.yaml").hasMessageContaining("no such file");
  }

  @Test
  void nonUtf8File_isRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9});

    assertThatThrownBy(() -> parser.parse(file)).hasMessageContaining("not UTF-8");
  }
}

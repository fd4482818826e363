package dev.stampede.chaos.experiment;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and validates experiment files. Every problem is an {@link ExperimentException} that names the field
 * ({@code storm.waves[1].rate}), its line and column, what was found and what was expected; unknown fields are
 * errors, so a typo never silently falls back to a default. See {@code experiments/README.md} for the schema.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExperimentParser {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
  private static final Pattern ENV = Pattern.compile("[A-Z_][A-Z0-9_]*");
  private static final List<String> SERVICES = List.of("auth", "directory", "relay");
  private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(5);

  /** Reads an experiment file. */
  public Experiment parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ExperimentException(file.toString(), 0, 0, "", "no such file");
    } catch (CharacterCodingException e) {
      throw new ExperimentException(file.toString(), 0, 0, "", "not UTF-8 text");
    } catch (IOException e) {
      throw new ExperimentException(file.toString(), 0, 0, "", "cannot be read: " + e.getMessage());
    }
    return parse(file.getFileName().toString(), new StringReader(text));
  }

  /**
   * Reads an experiment from text.
   *
   * @param source the name used in error messages (a file name), or {@code null}
   */
  public Experiment parse(String source, Reader reader) {
    YamlField root = YamlField.root(source, reader);
    root.allowOnly("name", "description", "population", "stack", "kubernetes", "steady", "calibration", "faults",
        "storm", "observation", "slos");

    YamlField nameField = root.field("name").required();
    String name = nameField.string();
    if (!NAME.matcher(name).matches()) {
      throw nameField.error("'" + name + "' (expected: 1..40 lower-case letters, digits and '-')");
    }
    Population population = population(root.field("population").required());
    Storm storm = storm(root.field("storm").required(), population.clients());
    SteadyPhase steady = steady(root.field("steady"));
    Calibration calibration = calibration(root.field("calibration"));
    calibration.conflictWith(steady).ifPresent(problem -> {
      throw root.field("calibration").field("when").error(problem);
    });
    return new Experiment(name, root.field("description").string(""), population, stack(root.field("stack")),
        kubernetes(root.field("kubernetes")), steady, calibration,
        faults(root.field("faults")), storm, observation(root.field("observation")), slos(root.field("slos")));
  }

  private static Population population(YamlField f) {
    f.allowOnly("clients", "username_prefix");
    int clients = f.field("clients").required().integer(0, 1, Population.MAX_CLIENTS);
    YamlField prefixField = f.field("username_prefix");
    Optional<String> prefix = Optional.empty();
    if (prefixField.present()) {
      String p = prefixField.string();
      if (!PREFIX.matcher(p).matches()) {
        throw prefixField.error("'" + p + "' (expected: 1..32 characters of A-Z a-z 0-9 _ . -, "
            + "starting with a letter or digit)");
      }
      prefix = Optional.of(p);
    }
    return new Population(clients, prefix);
  }

  private static Stack stack(YamlField f) {
    if (!f.present()) {
      return Stack.DEFAULT;
    }
    f.allowOnly("admission", "replicas");
    boolean admission = f.field("admission").bool(true);
    Map<String, Integer> replicas = new LinkedHashMap<>(Stack.DEFAULT.replicas());
    YamlField r = f.field("replicas");
    if (r.present()) {
      r.allowOnly(SERVICES.toArray(String[]::new));
      for (String service : SERVICES) {
        YamlField n = r.field(service);
        if (n.present()) {
          replicas.put(service, n.integer(1, service.equals("relay") ? 0 : 1, 16));
        }
      }
    }
    return new Stack(admission, replicas);
  }

  private static Optional<KubernetesTarget> kubernetes(YamlField f) {
    if (!f.present()) {
      return Optional.empty();
    }
    f.allowOnly("namespace", "auth", "directory", "metrics", "admin_credential_env");
    List<String> metrics = new ArrayList<>();
    for (YamlField m : f.field("metrics").list()) {
      String url = m.string();
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw m.error("'" + url + "' (expected: an http(s) URL of a /q/metrics endpoint)");
      }
      metrics.add(url);
    }
    YamlField envField = f.field("admin_credential_env");
    String env = envField.string("STAMPEDE_AUTH_ADMIN_CREDENTIAL");
    if (!ENV.matcher(env).matches()) {
      throw envField.error("'" + env + "' (expected: the name of an environment variable)");
    }
    return Optional.of(new KubernetesTarget(Optional.ofNullable(f.field("namespace").string(null)),
        f.field("auth").required().string(), f.field("directory").required().string(), metrics, env));
  }

  private static SteadyPhase steady(YamlField f) {
    if (!f.present()) {
      return SteadyPhase.DEFAULT;
    }
    f.allowOnly("ramp_concurrency", "ramp_rate", "hold");
    SteadyPhase d = SteadyPhase.DEFAULT;
    int concurrency = f.field("ramp_concurrency").integer(d.rampConcurrency(), 1, 1024);
    YamlField rateField = f.field("ramp_rate");
    Optional<Rate> rate = Optional.empty();
    if (rateField.present()) {
      Rate r = rate(rateField);
      if (r.ofCapacity() && r.value() >= 1) {
        throw rateField.error(r + " (expected: below capacity, < 1C, so that every run starts healthy)");
      }
      rate = Optional.of(r);
    }
    return new SteadyPhase(concurrency, rate, f.field("hold").duration(d.hold()));
  }

  private static Calibration calibration(YamlField f) {
    if (!f.present()) {
      return Calibration.DEFAULT;
    }
    f.allowOnly("mix", "warmup", "duration", "concurrency", "when");
    String mix = f.field("mix").oneOf("auto", "auto", "login", "resume");
    Optional<RecoveryMix> m = switch (mix) {
      case "login" -> Optional.of(RecoveryMix.LOGIN);
      case "resume" -> Optional.of(RecoveryMix.RESUME);
      default -> Optional.empty();
    };
    Calibration d = Calibration.DEFAULT;
    String when = f.field("when").oneOf(d.when().id(), Calibration.When.START.id(),
        Calibration.When.AFTER_RAMP.id());
    return new Calibration(m, f.field("warmup").duration(d.warmup()), f.field("duration").positiveDuration(d.duration()),
        f.field("concurrency").integer(d.concurrency(), 1, 1024),
        when.equals(Calibration.When.AFTER_RAMP.id()) ? Calibration.When.AFTER_RAMP : Calibration.When.START);
  }

  private static List<Fault> faults(YamlField f) {
    List<Fault> out = new ArrayList<>();
    List<YamlField> items = f.list();
    for (int i = 0; i < items.size(); i++) {
      out.add(fault(items.get(i), i));
    }
    return out;
  }

  private static Fault fault(YamlField f, int index) {
    if (!f.isMapping()) {
      throw f.error("a single value (expected: a mapping with at least a selector)");
    }
    f.allowOnly("name", "at", "namespace", "selector", "mode", "value", "waves", "action", "grace", "duration",
        "await_ready", "ready_timeout");
    String name = f.field("name").string("fault-" + (index + 1));
    Duration at = f.field("at").duration(Duration.ZERO);
    YamlField selectorField = f.field("selector").required();
    String selector = selectorField.string();
    if (selector.isEmpty()) {
      throw selectorField.error("empty (expected: a label selector such as app.kubernetes.io/name=auth)");
    }
    String mode = f.field("mode").oneOf("all", Fault.MODES);
    YamlField valueField = f.field("value");
    int value = 0;
    switch (mode) {
      case "fixed" -> value = valueField.required().integer(0, 1, 100_000);
      case "fixed-percent", "random-max-percent" -> value = valueField.required().integer(0, 1, 100);
      default -> {
        if (valueField.present()) {
          throw valueField.error("given for mode " + mode + " (expected: only with fixed, fixed-percent or "
              + "random-max-percent)");
        }
      }
    }
    YamlField wavesField = f.field("waves");
    Optional<Fault.Waves> waves = Optional.empty();
    if (mode.equals("waves")) {
      wavesField.required().allowOnly("fraction", "interval", "wait_until_ready");
      waves = Optional.of(new Fault.Waves(wavesField.field("fraction").required().number(0, 0, 1),
          wavesField.field("interval").required().duration(null),
          wavesField.field("wait_until_ready").bool(false)));
    } else if (wavesField.present()) {
      throw wavesField.error("given for mode " + mode + " (expected: only with mode waves)");
    }
    String action = f.field("action").oneOf("kill", Fault.ACTIONS);
    YamlField graceField = f.field("grace");
    Optional<Duration> grace = Optional.ofNullable(graceField.duration(null));
    if (grace.isPresent() && !action.equals("kill") && !action.equals("evict")) {
      throw graceField.error("given for action " + action + " (expected: only with kill or evict)");
    }
    YamlField durationField = f.field("duration");
    Optional<Duration> failFor = Optional.empty();
    if (action.equals("fail")) {
      failFor = Optional.of(durationField.required().positiveDuration(null));
    } else if (durationField.present()) {
      throw durationField.error("given for action " + action + " (expected: only with action fail)");
    }
    boolean awaitReady = f.field("await_ready").bool(true);
    YamlField timeoutField = f.field("ready_timeout");
    Duration timeout = timeoutField.positiveDuration(DEFAULT_READY_TIMEOUT);
    if (!awaitReady && timeoutField.present()) {
      throw timeoutField.error("given with await_ready: false (expected: only when waiting for readiness)");
    }
    return new Fault(name, at, Optional.ofNullable(f.field("namespace").string(null)), selector, mode, value, waves,
        action, grace, failFor, awaitReady ? Optional.of(timeout) : Optional.empty());
  }

  private static Storm storm(YamlField f, int population) {
    f.allowOnly("profile", "at", "boot_time", "waves", "clients", "start", "arrival", "window", "rate");
    YamlField profileField = f.field("profile").required();
    Profile profile = Profile.byId(profileField.string());
    if (profile == null) {
      throw profileField.error("'" + profileField.string() + "' (expected one of: sdk, skype2007)");
    }
    Duration at = f.field("at").duration(Duration.ZERO);
    Duration bootTime = f.field("boot_time").duration(Duration.ZERO);
    YamlField wavesField = f.field("waves");
    List<StormWave> waves = new ArrayList<>();
    if (wavesField.present()) {
      for (String shorthand : List.of("clients", "start", "arrival", "window", "rate")) {
        if (f.field(shorthand).present()) {
          throw f.field(shorthand).error("given next to storm.waves (expected: either waves, or one wave's "
              + "clients/arrival/window/rate directly under storm)");
        }
      }
      List<YamlField> items = wavesField.list();
      if (items.isEmpty()) {
        throw wavesField.error("empty (expected: at least one wave)");
      }
      for (YamlField w : items) {
        if (!w.isMapping()) {
          throw w.error("a single value (expected: a mapping with clients and arrival)");
        }
        w.allowOnly("clients", "start", "arrival", "window", "rate");
        waves.add(wave(w, w.field("clients").required(), population));
      }
    } else {
      waves.add(wave(f, f.field("clients"), population));
    }
    int total = waves.stream().mapToInt(w -> w.clients().of(population)).sum();
    if (total > population) {
      throw (wavesField.present() ? wavesField : f).error(total + " rebooting clients in total (expected: at most "
          + "the population, " + population + ")");
    }
    return new Storm(profile, at, bootTime, waves);
  }

  private static StormWave wave(YamlField f, YamlField clientsField, int population) {
    ClientCount clients = ClientCount.all();
    if (clientsField.present()) {
      String text = clientsField.string();
      clients = Quantities.parseCount(text);
      if (clients == null || (clients.percent() && !(clients.value() > 0 && clients.value() <= 100))) {
        throw clientsField.error("'" + text + "' (expected: a number of clients such as 500, or a share of the "
            + "population such as 25%, > 0% and <= 100%)");
      }
    }
    if (clients.of(population) < 1) {
      throw clientsField.error(clients + " of " + population + " clients is nobody (expected: at least 1 client)");
    }
    YamlField windowField = f.field("window");
    YamlField rateField = f.field("rate");
    YamlField arrivalField = f.field("arrival");
    String defaultArrival = windowField.present() || rateField.present() ? "uniform" : "all-at-once";
    Arrival arrival = arrivalField.oneOf(defaultArrival, "all-at-once", "uniform").equals("uniform")
        ? Arrival.UNIFORM : Arrival.ALL_AT_ONCE;
    Optional<Duration> window = Optional.empty();
    Optional<Rate> rate = Optional.empty();
    if (arrival == Arrival.ALL_AT_ONCE) {
      if (windowField.present() || rateField.present()) {
        throw (windowField.present() ? windowField : rateField).error("given with arrival all-at-once "
            + "(expected: window or rate only with arrival uniform)");
      }
    } else {
      if (windowField.present() == rateField.present()) {
        throw (rateField.present() ? rateField : arrivalField).error(rateField.present()
            ? "given next to window (expected: either window or rate for a uniform wave)"
            : "uniform without a window or rate (expected: window such as 30s, or rate such as 0.8C)");
      }
      if (windowField.present()) {
        window = Optional.of(windowField.positiveDuration(null));
      } else {
        rate = Optional.of(rate(rateField));
      }
    }
    return new StormWave(clients, f.field("start").duration(Duration.ZERO), arrival, window, rate);
  }

  private static Observation observation(YamlField f) {
    if (!f.present()) {
      return Observation.DEFAULT;
    }
    f.allowOnly("bound_multiple", "min", "max", "tail");
    Observation d = Observation.DEFAULT;
    double multiple = f.field("bound_multiple").number(d.boundMultiple(), 0, 100);
    if (multiple < 1) {
      throw f.field("bound_multiple").error(multiple + " (expected: >= 1; 'not recovered' must mean R > it)");
    }
    Duration min = f.field("min").positiveDuration(d.min());
    YamlField maxField = f.field("max");
    Duration max = maxField.positiveDuration(d.max());
    if (max.compareTo(min) < 0) {
      throw maxField.error(Quantities.format(max) + " is shorter than min " + Quantities.format(min)
          + " (expected: max >= min)");
    }
    YamlField tailField = f.field("tail");
    Optional<Duration> tail = d.tail();
    if (tailField.present()) {
      tail = tailField.string().equals("none") ? Optional.empty() : Optional.of(tailField.duration(null));
    }
    return new Observation(multiple, min, max, tail);
  }

  private static List<Slo> slos(YamlField f) {
    List<Slo> out = new ArrayList<>();
    for (YamlField item : f.list()) {
      try {
        out.add(Slo.parse(item.string()));
      } catch (IllegalArgumentException e) {
        throw item.error(e.getMessage());
      }
    }
    return out;
  }

  private static Rate rate(YamlField f) {
    String text = f.string();
    Rate r = Quantities.parseRate(text);
    if (r == null) {
      throw f.error("'" + text + "' (expected: a rate > 0, relative to the calibrated capacity such as 0.8C, or "
          + "absolute such as 25/s)");
    }
    return r;
  }
}

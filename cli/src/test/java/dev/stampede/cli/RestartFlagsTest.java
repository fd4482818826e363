package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Bad flags of {@code stampede restart}: exit 2 and a message naming the flag, before anything is contacted. */
class RestartFlagsTest {

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cli = StampedeCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--mode all|--selector is required",
      "-l app.kubernetes.io/name=auth|--mode is required",
      "-l app.kubernetes.io/name=auth --mode most|--mode: 'most'",
      "-l app.kubernetes.io/name=auth --mode all --value 2|--value applies to modes fixed",
      "-l app.kubernetes.io/name=auth --mode fixed|--value is required for mode fixed",
      "-l app.kubernetes.io/name=auth --mode fixed --value 0|--value: 0",
      "-l app.kubernetes.io/name=auth --mode fixed-percent --value 101|--value: 101",
      "-l app.kubernetes.io/name=auth --mode waves --fraction 0.5|needs --fraction and --interval",
      "-l app.kubernetes.io/name=auth --mode waves --fraction 2 --interval 1s|--fraction: 2.0",
      "-l app.kubernetes.io/name=auth --mode all --interval 1s|--interval applies to mode waves",
      "-l app.kubernetes.io/name=auth --mode all --interval soon|'soon'",
      "-l app.kubernetes.io/name=auth --mode all --action fail|action fail needs --duration",
      "-l app.kubernetes.io/name=auth --mode all --action reboot|--action: 'reboot'",
      "-l app.kubernetes.io/name=auth --mode all --action rollout --grace-period 5|--grace-period applies to",
      "-l app.kubernetes.io/name!=auth --mode all|only negative requirements",
      "-l 'app in (a' --mode all|--selector: ",
      "-l app=a --mode all --max-fraction 1.5|--max-fraction: 1.5",
      "-l app=a --mode all --kubeconfig x|--kubeconfig applies to --engine kubernetes",
      "-l app=a --mode all -n Bad_NS|--namespace: 'Bad_NS'",
      "-l app=a --mode all --engine docker|--engine",
      "-l app=a --mode all --ready-timeout 0s|--ready-timeout",
      "-l app=a --from-chaos-mesh x.yaml|--selector cannot be combined with --from-chaos-mesh",
  })
  void badFlags_exit2_withAMessageNamingTheFlag(String args, String message) {
    List<String> argv = new ArrayList<>(List.of("restart"));
    argv.addAll(split(args));
    assertThat(run(argv.toArray(String[]::new))).isEqualTo(2);
    assertThat(err.toString()).contains(message);
  }

  @Test
  void help_listsModesActionsAndExitCodes() {
    assertThat(run("restart", "--help")).isZero();
    assertThat(out.toString()).contains("--from-chaos-mesh", "--dry-run", "--json", "fixed-percent", "waves",
        "Exit codes");
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("restart", "up");
  }

  /** Splits on spaces, keeping single-quoted parts together. */
  private static List<String> split(String args) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(args);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }

}

package dev.stampede.chaos.experiment;

/**
 * An experiment file that cannot be run: a YAML syntax error, an unknown or missing field, a value of the wrong
 * type or out of range, or fields that contradict each other. The message names the field by its path
 * ({@code storm.waves[1].window}), says what was found and what was expected, and starts with
 * {@code file:line:column} when the position is known.
 */
public final class ExperimentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param source the file name, or {@code null}
   * @param line the 1-based line, or 0 when unknown
   * @param column the 1-based column, or 0 when unknown
   * @param field the field path, e.g. {@code storm.window}; empty for the document itself
   * @param problem what is wrong, e.g. {@code '3x' (expected: a duration such as 30s)}
   */
  public ExperimentException(String source, int line, int column, String field, String problem) {
    super(format(source, line, column, field, problem));
    this.field = field;
  }

  /** The path of the offending field, e.g. {@code storm.waves[0].window}; empty for the whole document. */
  public String field() {
    return field;
  }

  private static String format(String source, int line, int column, String field, String problem) {
    StringBuilder s = new StringBuilder();
    if (source != null) {
      s.append(source);
      if (line > 0) {
        s.append(':').append(line).append(':').append(column);
      }
      s.append(": ");
    }
    if (!field.isEmpty()) {
      s.append(field).append(": ");
    }
    return s.append(problem).toString();
  }
}

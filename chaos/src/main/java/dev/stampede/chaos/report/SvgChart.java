package dev.stampede.chaos.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart rendered as inline SVG — no scripts, no fonts or styles fetched from anywhere — with axes and
 * ticks, a legend, shaded time bands (the fault window) and labelled reference lines (the bound, the capacity).
 * A {@code null} y value breaks a line (no data that second).
 *
 * <p>Not thread-safe; build, render, discard.
 */
final class SvgChart {
  // Okabe–Ito: distinguishable with the common colour-vision deficiencies.
  static final String BLUE = "#0072B2";
  static final String VERMILLION = "#D55E00";
  static final String GREEN = "#009E73";
  static final String ORANGE = "#E69F00";
  static final String PURPLE = "#CC79A7";
  static final String SKY = "#56B4E9";
  static final String BLACK = "#222222";
  static final String GREY = "#888888";

  private static final int WIDTH = 880;
  private static final int HEIGHT = 300;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 52;
  private static final int BOTTOM = 46;

  private record Series(String name, String color, double[] xs, Double[] ys, boolean dashed) {
  }

  private record Band(double x0, double x1, String color, String label) {
  }

  private record Line(double at, String color, String label, boolean vertical) {
  }

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Band> bands = new ArrayList<>();
  private final List<Line> lines = new ArrayList<>();
  private boolean logY;
  private Double xMin;
  private Double xMax;

  SvgChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  SvgChart logY() {
    this.logY = true;
    return this;
  }

  SvgChart xRange(double min, double max) {
    this.xMin = min;
    this.xMax = max;
    return this;
  }

  SvgChart series(String name, String color, double[] xs, Double[] ys) {
    series.add(new Series(name, color, xs, ys, false));
    return this;
  }

  SvgChart dashedSeries(String name, String color, double[] xs, Double[] ys) {
    series.add(new Series(name, color, xs, ys, true));
    return this;
  }

  SvgChart band(double x0, double x1, String color, String label) {
    if (x1 > x0) {
      bands.add(new Band(x0, x1, color, label));
    }
    return this;
  }

  SvgChart vline(double x, String color, String label) {
    lines.add(new Line(x, color, label, true));
    return this;
  }

  SvgChart hline(double y, String color, String label) {
    lines.add(new Line(y, color, label, false));
    return this;
  }

  String render() {
    double x0 = xMin != null ? xMin : Double.POSITIVE_INFINITY;
    double x1 = xMax != null ? xMax : Double.NEGATIVE_INFINITY;
    double yMax = 0;
    double yMinPositive = Double.POSITIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.xs.length; i++) {
        if (xMin == null) {
          x0 = Math.min(x0, s.xs[i]);
          x1 = Math.max(x1, s.xs[i]);
        }
        Double y = s.ys[i];
        if (y != null && Double.isFinite(y)) {
          yMax = Math.max(yMax, y);
          if (y > 0) {
            yMinPositive = Math.min(yMinPositive, y);
          }
        }
      }
    }
    for (Line l : lines) {
      if (l.vertical) {
        if (xMin == null) {
          x1 = Math.max(x1, l.at);
        }
      } else {
        yMax = Math.max(yMax, l.at);
      }
    }
    if (!(x1 > x0)) {
      x0 = Double.isFinite(x0) ? x0 : 0;
      x1 = x0 + 1;
    }
    double[] xTicks = ticks(x0, x1, 10);
    double[] yTicks;
    double yLo;
    double yHi;
    if (logY) {
      yLo = Math.pow(10, Math.floor(Math.log10(Double.isFinite(yMinPositive) ? yMinPositive : 1)));
      yHi = Math.pow(10, Math.ceil(Math.log10(Math.max(yMax, yLo * 10))));
      int decades = (int) Math.round(Math.log10(yHi / yLo));
      yTicks = new double[decades + 1];
      for (int i = 0; i <= decades; i++) {
        yTicks[i] = yLo * Math.pow(10, i);
      }
    } else {
      yTicks = ticks(0, yMax > 0 ? yMax * 1.05 : 1, 6);
      yLo = 0;
      yHi = yTicks[yTicks.length - 1];
    }
    Scale sx = new Scale(x0, x1, LEFT, WIDTH - RIGHT, false);
    Scale sy = new Scale(yLo, yHi, HEIGHT - BOTTOM, TOP, logY);

    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
        + "width=\"100%%\" role=\"img\" aria-label=\"%s\" class=\"chart\">", WIDTH, HEIGHT, esc(title)));
    svg.append("<title>").append(esc(title)).append("</title>");
    svg.append(text(LEFT, 18, title, "start", "title"));
    int bandLabel = 0;
    for (Band b : bands) {
      double bx0 = Math.max(b.x0, x0);
      double bx1 = Math.min(b.x1, x1);
      if (bx1 <= bx0) {
        continue;
      }
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.15\"/>",
          sx.map(bx0), TOP, sx.map(bx1) - sx.map(bx0), HEIGHT - TOP - BOTTOM, b.color));
      // Labels of overlapping bands go one under the other.
      svg.append(text(sx.map(bx0) + 3, TOP + 12 + 13 * bandLabel++, b.label, "start", "band"));
    }
    for (double t : yTicks) {
      double y = sy.map(t);
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>", LEFT, y, WIDTH - RIGHT, y));
      svg.append(text(LEFT - 6, y + 4, format(t), "end", "tick"));
    }
    for (double t : xTicks) {
      if (t < x0 - 1e-9 || t > x1 + 1e-9) {
        continue;
      }
      double x = sx.map(t);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"axis\"/>",
          x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5));
      svg.append(text(x, HEIGHT - BOTTOM + 18, format(t), "middle", "tick"));
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", LEFT,
        HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", LEFT,
        TOP, LEFT, HEIGHT - BOTTOM));
    svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 8, xLabel, "middle", "label"));
    svg.append(String.format(Locale.ROOT,
        "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" class=\"label\" transform=\"rotate(-90 16 %.1f)\">%s"
            + "</text>", (TOP + HEIGHT - BOTTOM) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0, esc(yLabel)));

    for (Series s : series) {
      svg.append(path(s, sx, sy, x0, x1));
    }
    if (series.isEmpty() || yMax == 0 && logY) {
      svg.append(text((LEFT + WIDTH - RIGHT) / 2.0, (TOP + HEIGHT - BOTTOM) / 2.0, "no data", "middle", "label"));
    }
    int refLabel = 0;
    for (Line l : lines) {
      if (l.vertical) {
        if (l.at < x0 || l.at > x1) {
          continue;
        }
        double x = sx.map(l.at);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
            + "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>", x, TOP, x, HEIGHT - BOTTOM, l.color));
        boolean right = x < WIDTH - RIGHT - 160;
        svg.append(text(right ? x + 4 : x - 4, TOP + 40 + 13 * refLabel++, l.label, right ? "start" : "end", "ref").replace("class=\"ref\"",
            "class=\"ref\" style=\"fill:" + l.color + "\""));
      } else {
        double y = sy.map(l.at);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
            + "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>", LEFT, y, WIDTH - RIGHT, y, l.color));
        svg.append(text(WIDTH - RIGHT - 4, y - 4, l.label, "end", "ref").replace("class=\"ref\"",
            "class=\"ref\" style=\"fill:" + l.color + "\""));
      }
    }
    // Legend, in one row under the title.
    double lx = LEFT;
    for (Series s : series) {
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"34\" x2=\"%.1f\" y2=\"34\" stroke=\"%s\" "
          + "stroke-width=\"3\"%s/>", lx, lx + 18, s.color, s.dashed ? " stroke-dasharray=\"5 3\"" : ""));
      svg.append(text(lx + 23, 38, s.name, "start", "legend"));
      lx += 32 + s.name.length() * 6.6;
    }
    svg.append("</svg>");
    return svg.toString();
  }

  private static String path(Series s, Scale sx, Scale sy, double x0, double x1) {
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    for (int i = 0; i < s.xs.length; i++) {
      Double y = s.ys[i];
      if (y == null || !Double.isFinite(y) || s.xs[i] < x0 || s.xs[i] > x1 || sy.log && y <= 0) {
        pen = false;
        continue;
      }
      d.append(pen ? 'L' : 'M').append(String.format(Locale.ROOT, "%.1f %.1f ", sx.map(s.xs[i]), sy.map(y)));
      pen = true;
    }
    return String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s>"
        + "<title>%s</title></path>", d.toString().trim(), s.color,
        s.dashed ? " stroke-dasharray=\"5 3\"" : "", esc(s.name));
  }

  private record Scale(double lo, double hi, double from, double to, boolean log) {
    double map(double v) {
      double f = log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
          : (v - lo) / (hi - lo);
      return from + f * (to - from);
    }
  }

  /** "Nice" ticks (1, 2, 5 × 10^k steps) covering [lo, hi]. */
  static double[] ticks(double lo, double hi, int target) {
    double raw = (hi - lo) / Math.max(1, target);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / mag;
    double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    double first = Math.floor(lo / step) * step;
    double last = Math.ceil(hi / step - 1e-9) * step;
    int n = (int) Math.round((last - first) / step) + 1;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      // Rounded so that 3 × 0.2 prints as 0.6, not 0.6000000000000001.
      out[i] = new java.math.BigDecimal(first + i * step).round(new java.math.MathContext(9)).doubleValue();
    }
    return out;
  }

  static String format(double v) {
    double a = Math.abs(v);
    if (a >= 10_000) {
      return a >= 1_000_000 ? trim(v / 1e6) + "M" : trim(v / 1e3) + "k";
    }
    return trim(v);
  }

  private static String trim(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return Long.toString(Math.round(v));
    }
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String text(double x, double y, String s, String anchor, String cls) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">%s</text>", x, y,
        anchor, cls, esc(s));
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}

package dev.stampede.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SvgChartTest {

  @Test
  void ticks_areNiceAndCoverTheRange() {
    assertThat(SvgChart.ticks(0, 97, 5)).containsExactly(0, 20, 40, 60, 80, 100);
    assertThat(SvgChart.ticks(-15, 60, 10)).containsExactly(-20, -10, 0, 10, 20, 30, 40, 50, 60);
    assertThat(SvgChart.ticks(0, 1.05, 6)).startsWith(0.0).endsWith(1.2);
  }

  @Test
  void format_abbreviatesLargeNumbers() {
    assertThat(SvgChart.format(25_000)).isEqualTo("25k");
    assertThat(SvgChart.format(1_500_000)).isEqualTo("1.5M");
    assertThat(SvgChart.format(0.25)).isEqualTo("0.25");
    assertThat(SvgChart.format(40)).isEqualTo("40");
  }

  @Test
  void nullValues_breakTheLine() {
    String svg = new SvgChart("t", "x", "y")
        .series("s", SvgChart.BLUE, new double[] {0, 1, 2, 3}, new Double[] {1.0, null, 2.0, 3.0}).render();

    assertThat(svg).containsPattern("d=\"M[^\"]*M[^\"]*L[^\"]*\"");
  }

  @Test
  void logScale_hasDecadeTicks() {
    String svg = new SvgChart("t", "x", "ms").logY()
        .series("p99", SvgChart.BLUE, new double[] {0, 1}, new Double[] {3.0, 4000.0}).render();

    assertThat(svg).contains(">1<", ">10<", ">100<", ">1000<", ">10k<");
  }
}

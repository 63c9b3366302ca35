package io.infraworker.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AutoTunerTest {
  private static final long MIB = 1024 * 1024;
  private final AutoTuner tuner = new AutoTuner();

  @Test
  void lowUsageRecommendsTheFloorWithTheOriginalTipAndSavings() {
    // The seed README's example: 15 MB used of 256 MB.
    assertThat(tuner.analyze(15 * MIB, 256)).isEqualTo(new Tuning(32,
        "💡 Resource Waste: Usage (15MB) is low. Reduce to 32MB to save 87%.", "$8.18/month"));
  }

  @Test
  void lowUsageAboveTheFloorRecommendsTwiceThePeak() {
    assertThat(tuner.analyze(40 * MIB, 512)).isEqualTo(new Tuning(80,
        "💡 Resource Waste: Usage (40MB) is low. Reduce to 80MB to save 84%.", "$15.77/month"));
  }

  @Test
  void usageBetweenTheBandsSaysNothing() {
    assertThat(tuner.analyze(100 * MIB, 256)).isEqualTo(Tuning.NONE);
    // Both bounds are strict, as in the original.
    assertThat(tuner.analyze(30 * MIB, 100)).isEqualTo(Tuning.NONE);
    assertThat(tuner.analyze(85 * MIB, 100)).isEqualTo(Tuning.NONE);
  }

  @Test
  void highUsageRecommendsOnePointTwoTimesThePeakWithoutSavings() {
    assertThat(tuner.analyze(230 * MIB, 256)).isEqualTo(new Tuning(276,
        "⚠️ Memory Risk: Usage (230MB) is dangerously high (89%). Increase to 276MB.", null));
  }

  @Test
  void usageOverTheLimitIsReportedAsItIs() {
    assertThat(tuner.analyze(200 * MIB + MIB / 2, 128)).isEqualTo(new Tuning(240,
        "⚠️ Memory Risk: Usage (200MB) is dangerously high (156%). Increase to 240MB.", null));
  }

  @Test
  void fractionalMegabytesAreTruncatedLikePythonsInt() {
    assertThat(tuner.analyze((long) (15.9 * MIB), 256).optimizationTip())
        .isEqualTo("💡 Resource Waste: Usage (15MB) is low. Reduce to 32MB to save 87%.");
  }

  @Test
  void theFloorAtOrAboveATinyLimitRecommendsWithoutTipOrSavings() {
    assertThat(tuner.analyze(5 * MIB, 32)).isEqualTo(new Tuning(32, null, null));
  }

  @Test
  void savingsRoundTheExactBinaryValueHalfEvenAsPythonDoes() {
    // 10 MB × 0.00005 × 730 is 0.36499999... in binary: Python prints 0.36, String.format would print 0.37.
    assertThat(tuner.analyze(5 * MIB, 42)).isEqualTo(new Tuning(32,
        "💡 Resource Waste: Usage (5MB) is low. Reduce to 32MB to save 23%.", "$0.36/month"));
  }

  @Test
  void anUnknownLimitCountsAs128MbLikeTheOriginal() {
    assertThat(tuner.analyze(10 * MIB, 0)).isEqualTo(new Tuning(32,
        "💡 Resource Waste: Usage (10MB) is low. Reduce to 32MB to save 75%.", "$3.50/month"));
  }

  @Test
  void noPeakMeansNoFigures() {
    assertThat(tuner.analyze(null, 256)).isEqualTo(new Tuning(null, null, null));
    assertThat(tuner.analyze(0L, 256)).isEqualTo(Tuning.NONE);
  }
}

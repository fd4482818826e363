package dev.stampede.admission.budget;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The same GCRA as {@code lua/gcra.lua}, in this process: the fallback while Redis is unavailable. Holds at most
 * {@code maxKeys} keys; past that, keys whose state has expired are dropped, and if that is not enough the whole
 * table is cleared (failing open further rather than growing without bound). Thread-safe.
 */
final class LocalGcra {
  private final ConcurrentHashMap<String, Long> tat = new ConcurrentHashMap<>();
  private final LongSupplier ticker;
  private final int maxKeys;

  LocalGcra(LongSupplier ticker, int maxKeys) {
    this.ticker = ticker;
    this.maxKeys = maxKeys;
  }

  BudgetDecision decide(String key, long intervalMicros, long tauMicros, int cost, boolean consume) {
    long now = ticker.getAsLong() / 1000;
    long[] result = new long[3];
    tat.compute(key, (k, old) -> {
      long t = old == null || old < now ? now : old;
      long newTat = t + cost * intervalMicros;
      long allowAt = newTat - intervalMicros - tauMicros;
      if (now < allowAt) {
        result[0] = 0;
        result[1] = allowAt - now;
        result[2] = Math.max(0, Math.floorDiv(now + tauMicros + intervalMicros - t, intervalMicros));
        return old;
      }
      result[0] = 1;
      result[2] = Math.floorDiv(now + tauMicros + intervalMicros - newTat, intervalMicros);
      return consume ? Long.valueOf(newTat) : old;
    });
    if (tat.size() > maxKeys) {
      tat.values().removeIf(v -> v < now);
      if (tat.size() > maxKeys) {
        tat.clear();
      }
    }
    return new BudgetDecision(result[0] == 1, result[1], result[2], true);
  }

  int size() {
    return tat.size();
  }
}

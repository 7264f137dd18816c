package dev.skirmish.deploy.ops;

import java.math.BigDecimal;
import java.util.Map;

/** Kubernetes resource quantities as numbers: CPU in cores ("500m", "2"), memory in bytes ("768Mi", "1Gi"). */
final class Quantity {

  private static final Map<String, Long> SUFFIXES = Map.of(
    "Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "Ti", 1L << 40,
    "k", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L, "T", 1_000_000_000_000L);

  private Quantity() {
  }

  static BigDecimal cpu(String q) {
    return q.endsWith("m") ? new BigDecimal(q.substring(0, q.length() - 1)).movePointLeft(3) : new BigDecimal(q);
  }

  static BigDecimal bytes(String q) {
    String suffix = q.replaceAll("^[0-9.]+", "");
    if (suffix.isEmpty()) {
      return new BigDecimal(q);
    }
    Long factor = SUFFIXES.get(suffix);
    if (factor == null) {
      throw new AssertionError("not a memory quantity: " + q);
    }
    return new BigDecimal(q.substring(0, q.length() - suffix.length())).multiply(BigDecimal.valueOf(factor));
  }
}

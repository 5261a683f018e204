package dev.adjoint.backend.cpu;

/**
 * The error function in double precision (the JDK has none): within 2 ulp of the correctly
 * rounded value ({@code NnReferenceTest} compares {@code Tensor.erf} with
 * {@code torch.erf} on 2,000 points).
 *
 * <ul>
 *   <li>|x| &lt; 1: the Maclaurin series {@code 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1))},
 *       18 terms in Horner form (the terms alternate but stay below 1.2, so little cancels);
 *   <li>1 &lt;= |x| &lt; 6: {@code 1 - exp(-x^2) R(x)}, where {@code R(x) = erfc(x) exp(x^2)} is
 *       smooth and slowly varying, as a Chebyshev series on [1, 3] and [3, 6] (coefficients from
 *       {@code runtime/src/test/python/erf_coefficients.py}), and {@code x^2} split exactly into
 *       two doubles with a fused multiply-add so that {@code exp(-x^2)} keeps full precision;
 *   <li>|x| &gt;= 6: {@code erfc(6) < 2.2e-17}, so erf is +-1 in double.
 * </ul>
 * {@code PanamaFloatKernels} evaluates the same ranges in float lanes, with these tables cut to
 * float's precision (package-private for that).
 */
final class Erf {
  private Erf() {}

  /** {@code 2/sqrt(pi) (-1)^n / (n! (2n+1))}, n = 0..17. */
  static final double[] TAYLOR = new double[18];

  static {
    double factorial = 1;
    for (int n = 0; n < TAYLOR.length; n++) {
      if (n > 0) factorial *= n;
      TAYLOR[n] = 2 / Math.sqrt(Math.PI) * (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
    }
  }

  /** erfc(x) exp(x^2) on [1, 3], 21 Chebyshev terms. */
  static final double[] LOW = {
    2.785389365977923e-1, -1.1964641832736308e-1, 2.3925887746485539e-2,
    -4.5039740672658677e-3, 8.0454516925360155e-4, -1.3720361484011933e-4,
    2.2444582753733492e-5, -3.5355728652021171e-6, 5.3800830913078603e-7,
    -7.9296948878869502e-8, 1.1346142347924915e-8, -1.5791182510215911e-9,
    2.1413966089607892e-10, -2.8336608279151751e-11, 3.6639154492636032e-12,
    -4.6345397638431725e-13, 5.7411105628299633e-14, -6.9716130810193532e-15,
    8.3061594482334153e-16, -9.7172895754080936e-17, 1.1170873598248879e-17,
  };
  /** erfc(x) exp(x^2) on [3, 6], 21 Chebyshev terms. */
  static final double[] HIGH = {
    1.2902689965474169e-1, -4.2042678139511798e-2, 6.6984871210927538e-3,
    -1.0450916791743757e-3, 1.5985899884949414e-4, -2.3998261587238651e-5,
    3.5390641050635701e-6, -5.1313032006490947e-7, 7.3202686112649736e-8,
    -1.0282193129248154e-8, 1.4229088707596405e-9, -1.9411157958365731e-10,
    2.6117963465948981e-11, -3.4677962235781511e-12, 4.5456029570973387e-13,
    -5.8848645318750179e-14, 7.5276497825542105e-15, -9.5174376507078499e-16,
    1.1897836910873271e-16, -1.4711054785450403e-17, 1.7996151024795914e-18,
  };

  static double erf(double x) {
    double a = Math.abs(x);
    if (!(a < 6)) return Double.isNaN(x) ? x : Math.copySign(1, x);
    if (a < 1) {
      double z = x * x;
      double p = TAYLOR[TAYLOR.length - 1];
      for (int n = TAYLOR.length - 2; n >= 0; n--) p = p * z + TAYLOR[n];
      return x * p;
    }
    double r = a < 3 ? chebyshev(LOW, a - 2) : chebyshev(HIGH, (a - 4.5) / 1.5);
    double hi = a * a;
    double lo = Math.fma(a, a, -hi); // a^2 = hi + lo exactly
    double erfc = Math.exp(-hi) * (1 - lo) * r;
    return Math.copySign(1 - erfc, x);
  }

  /** Clenshaw's recurrence for {@code sum c[k] T_k(t)}, t in [-1, 1]. */
  private static double chebyshev(double[] c, double t) {
    double b1 = 0;
    double b2 = 0;
    for (int k = c.length - 1; k >= 1; k--) {
      double b0 = 2 * t * b1 - b2 + c[k];
      b2 = b1;
      b1 = b0;
    }
    return t * b1 - b2 + c[0];
  }
}

package dev.adjoint.tests.gradbench;

import dev.adjoint.Differentiable;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GradBench's {@code det}: the determinant of an ℓ×ℓ matrix by expansion in minors (ℓ! terms,
 * as the C++ reference computes it), and its gradient. The reference removes rows and columns
 * by relinking two index lists it writes in place; here the columns already used are the bits
 * of an {@code int}, so the recursion writes no array.
 */
public final class Det implements Eval {
  /**
   * The determinant of the minor of {@code a} (ℓ×ℓ, row-major) made of the rows from
   * {@code row} on and the columns not in {@code used}.
   */
  @Differentiable
  public static double minor(double[] a, int ell, int row, int used) {
    if (row == ell - 1) {
      int c = 0;
      while ((used & (1 << c)) != 0) {
        c++;
      }
      return a[row * ell + c];
    }
    double det = 0;
    int sign = 1;
    for (int c = 0; c < ell; c++) {
      if ((used & (1 << c)) == 0) {
        double sub = minor(a, ell, row + 1, used | (1 << c));
        if (sign > 0) {
          det += a[row * ell + c] * sub;
        } else {
          det -= a[row * ell + c] * sub;
        }
        sign = -sign;
      }
    }
    return det;
  }

  @Differentiable
  public static double det(double[] a, int ell) {
    return minor(a, ell, 0, 0);
  }

  @Override
  public Supplier<Object> prepare(String function, Object message) {
    Map<String, Object> input = Json.object(message);
    double[] a = Json.doubles(input.get("A"));
    int ell = Json.integer(input.get("ell"));
    switch (function) {
      case "primal": return () -> det(a, ell);
      case "gradient": return () -> DetDerivatives.detGrad(a, ell);
      default: return null;
    }
  }
}

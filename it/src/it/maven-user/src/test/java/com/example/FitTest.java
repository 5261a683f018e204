package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FitTest {
  @Test
  void gradientsMatchTheClosedFormOnTheVectorApi() {
    String kernels = Fit.check();
    assertTrue(kernels.startsWith("vector-api"), "surefire's argLine adds the module: " + kernels);
  }
}

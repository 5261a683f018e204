package dev.adjoint.examples;

/** Placeholder replaced below. */
public final class RosenbrockExample {
  public static void main(String[] args) {}
}

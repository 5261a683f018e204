package dev.adjoint.tests.fuzz;

/** The two printings of one program: every REAL as double, or as float. */
enum Variant { DOUBLE, FLOAT }

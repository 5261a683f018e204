package dev.adjoint.tests.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated program: one class with records and methods. {@code entry} is the method whose
 * parameters {@code args} describes; {@code checked} lists the methods (the entry and wrappers
 * of the same signature that take its derivatives) whose generated derivatives are checked.
 */
record Program(String name, List<RecordDecl> records, List<Method> methods, String entry,
    List<String> checked, List<ArgSpec> args) {

  /** A parameter or record component. */
  record Param(Type type, String name, boolean noDerivative) {
    static Param of(Type type, String name) {
      return new Param(type, name, false);
    }
  }

  /** A method; static in the program class, or an instance method of a record. */
  record Method(String name, Type result, List<Param> params, Stmt.Block body,
      boolean differentiable) {}

  record RecordDecl(String name, List<Param> components, List<Method> methods) {}

  Method method(String methodName) {
    for (Method m : methods) {
      if (m.name().equals(methodName)) return m;
    }
    return null;
  }

  Program withName(String newName) {
    return new Program(newName, records, methods, entry, checked, args);
  }

  Program withMethods(List<Method> newMethods) {
    List<String> still = new ArrayList<>();
    for (String c : checked) {
      for (Method m : newMethods) {
        if (m.name().equals(c)) still.add(c);
      }
    }
    return new Program(name, records, newMethods, entry, still, args);
  }

  Program withRecords(List<RecordDecl> newRecords) {
    return new Program(name, newRecords, methods, entry, checked, args);
  }
}

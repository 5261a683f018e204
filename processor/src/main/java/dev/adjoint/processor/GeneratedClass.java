package dev.adjoint.processor;

import com.palantir.javapoet.ClassName;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;

/** What goes into one generated {@code <Class>Derivatives}: records and functions. */
final class GeneratedClass {
  private final ClassName name;
  private final Set<Element> origins = new LinkedHashSet<>();
  private final Map<String, IrType> records = new LinkedHashMap<>();
  private final List<Function> functions = new ArrayList<>();
  private final List<String> javadocs = new ArrayList<>();

  GeneratedClass(ClassName name, Element origin) {
    this.name = name;
    if (origin != null) origins.add(origin);
  }

  ClassName name() {
    return name;
  }

  void addOrigin(Element e) {
    origins.add(e);
  }

  void addRecord(IrType record) {
    records.putIfAbsent(record.typeName().toString(), record);
  }

  void addFunction(Function f, String javadoc) {
    functions.add(f);
    javadocs.add(javadoc);
  }

  Set<Element> origins() {
    return origins;
  }

  Iterable<IrType> records() {
    return records.values();
  }

  List<Function> functions() {
    return functions;
  }

  List<String> javadocs() {
    return javadocs;
  }
}

package dev.adjoint.processor;

import com.palantir.javapoet.ClassName;
import dev.adjoint.processor.emit.GeneratedMethod;
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
  private final List<GeneratedMethod> methods = new ArrayList<>();

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

  void addMethod(GeneratedMethod m) {
    methods.add(m);
  }

  Set<Element> origins() {
    return origins;
  }

  Iterable<IrType> records() {
    return records.values();
  }

  List<GeneratedMethod> methods() {
    return methods;
  }
}

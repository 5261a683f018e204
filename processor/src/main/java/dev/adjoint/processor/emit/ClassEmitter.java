package dev.adjoint.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.IrType;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/** Writes a generated derivatives class: a final class of static methods and gradient records. */
public final class ClassEmitter {
  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");

  private ClassEmitter() {}

  public static JavaFile emit(ClassName name, String sourceNames, Iterable<IrType> records,
      List<GeneratedMethod> methods, Iterable<Element> origins) {
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addAnnotation(AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", "dev.adjoint.processor.DifferentiableProcessor").build())
        .addJavadoc("Derivatives of the {@code @Differentiable} methods of {@code $L}, generated "
            + "by Adjoint from their source.\nDo not edit: change the methods and recompile.\n",
            sourceNames)
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    for (Element e : origins) type.addOriginatingElement(e);
    for (IrType r : records) type.addType(record(r));
    for (GeneratedMethod m : methods) {
      String doc = m.javadoc() == null ? null : m.javadoc() + "\n";
      type.addMethod(MethodEmitter.emit(m.function(), Modifier.PUBLIC, doc, m.varargs(),
          m.entryChecks()));
    }
    return JavaFile.builder(name.packageName(), type.build()).skipJavaLangImports(true)
        .indent("    ").build();
  }

  private static TypeSpec record(IrType r) {
    ClassName n = (ClassName) r.typeName();
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
    for (IrType.Component c : r.components()) ctor.addParameter(c.type().typeName(), c.name());
    return TypeSpec.recordBuilder(n.simpleName())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Gradient with one component per differentiated parameter, named after it.\n")
        .recordConstructor(ctor.build())
        .build();
  }
}

package dev.adjoint.processor.ir;

import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * A method called from the intermediate form: where it lives, its signature, and how it is
 * differentiated ({@link Target}). For an instance method the receiver is the first argument.
 */
public record MethodRef(
    TypeName owner,
    String name,
    List<IrType> paramTypes,
    List<String> paramNames,
    IrType returnType,
    boolean isStatic,
    Target target) {
  /** The name of a constructor: the call is printed {@code new Owner(args)}. */
  public static final String CONSTRUCTOR = "<init>";
  /** A constructor of a generic class: printed with a diamond, {@code new ArrayList<>()}. */
  public static final String GENERIC_CONSTRUCTOR = "<init><>";

  public boolean isConstructor() {
    return name.startsWith(CONSTRUCTOR);
  }

  /** Parameter types including the receiver, as the arguments of a {@code Call} list them. */
  public List<IrType> argumentTypes() {
    if (isStatic) return paramTypes;
    java.util.ArrayList<IrType> all = new java.util.ArrayList<>();
    all.add(IrType.object(owner));
    all.addAll(paramTypes);
    return all;
  }

  public String display() {
    String simple = owner.toString();
    int dot = simple.lastIndexOf('.');
    if (dot >= 0) simple = simple.substring(dot + 1);
    return isConstructor() ? "new " + simple : simple + "." + name;
  }

  /** The name of the parameter argument {@code argPos} binds ({@code this} for a receiver). */
  public String parameterAt(int argPos) {
    int p = isStatic ? argPos : argPos - 1;
    if (p < 0) return "this";
    return p < paramNames.size() ? paramNames.get(p) : "#" + argPos;
  }
}

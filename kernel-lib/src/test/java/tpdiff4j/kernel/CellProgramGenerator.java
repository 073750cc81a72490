package tpdiff4j.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random notebook programs ({@link CellProgram}) whose notebook meaning and single-program meaning agree.
 *
 * <p>The parts a cell is made of: variable declarations ({@code var} or a type), declarations of a variable again
 * with another type, assignments, prints, methods (generic ones too) declared and declared again with another body
 * or return type, records and classes, imports, lambdas, switch statements (arrow and colon form) and switch
 * expressions, and loops. What keeps the two meanings equal:
 * <ul>
 * <li>a method reads only its parameters, and a lambda, record or class calls no method and reads no variable of
 *     the cells: what they compute does not depend on which declaration of a name is current when they run;</li>
 * <li>a variable keeps the value it was given when something it was computed from is declared again (the
 *     notebook promise), which the single program has by giving the new declaration a new name;</li>
 * <li>a declaration of a variable again never reads the name it declares, and records and classes are declared
 *     once;</li>
 * <li>imports bring in names that no cell declares, so moving them to the top of the single program changes
 *     nothing.</li>
 * </ul>
 * Every name ends with a tag, so that many programs can run one after the other in one session.
 */
final class CellProgramGenerator {

    private static final List<String> SCALARS = List.of("int", "long", "double", "String");

    /** An expression in both forms. */
    private record E(String cell, String java) {

        static E of(String both) {
            return new E(both, both);
        }
    }

    /** A variable: its notebook name, its type, its name in the single program and its type there. */
    private record Var(String name, String type, String java, String javaType) {

        Var(String name, String type, String java) {
            this(name, type, java, type);
        }
    }

    /** A method: kind "plain" (one int parameter), "pair" or "larger" (generic), its return type, its java name. */
    private record Method(String name, String kind, String ret, String java) {
    }

    private final Random rnd;
    private final String tag;
    private final Map<String, Var> vars = new LinkedHashMap<>();
    private final Map<String, Method> methods = new LinkedHashMap<>();
    private final Map<String, Integer> versions = new LinkedHashMap<>();
    /** The variables that each variable's initializer read, by name. */
    private final Map<String, List<String>> reads = new LinkedHashMap<>();
    private final List<String> records = new ArrayList<>();
    private final List<String> classes = new ArrayList<>();
    /** The single-program name of each record and class as now declared ({@code Rec2_p1__v2.Rec2_p1}). */
    private final Map<String, String> typeJava = new LinkedHashMap<>();
    private final List<String> imported = new ArrayList<>();
    private int names;

    private CellProgramGenerator(long seed, String tag) {
        this.rnd = new Random(seed);
        this.tag = tag;
    }

    /**
     * @param seed the seed: the same seed gives the same program
     * @param tag  the suffix of every name the program declares (unique per program in one session)
     * @return a program of 2 to 5 cells of 1 to 3 parts each
     */
    static CellProgram generate(long seed, String tag) {
        CellProgramGenerator g = new CellProgramGenerator(seed, tag);
        List<List<CellProgram.Part>> cells = new ArrayList<>();
        int n = 2 + g.rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            List<CellProgram.Part> cell = new ArrayList<>();
            int parts = 1 + g.rnd.nextInt(3);
            while (cell.size() < parts) {
                g.part(cell);
            }
            cells.add(cell);
        }
        return new CellProgram(seed, cells);
    }

    private String fresh(String stem) {
        return stem + (names++) + tag;
    }

    /** @return the single-program name of the next declaration of {@code name} */
    private String version(String name) {
        int v = versions.merge(name, 1, Integer::sum);
        return name + "__" + v;
    }

    private void part(List<CellProgram.Part> cell) {
        switch (rnd.nextInt(14)) {
            case 0, 1 -> newVariable(cell);
            case 2, 3 -> redeclareVariable(cell);
            case 4 -> assign(cell);
            case 5, 6 -> print(cell);
            case 7, 8 -> method(cell);
            case 9 -> recordOrClass(cell);
            case 10 -> importSome(cell);
            case 11 -> lambda(cell);
            case 12 -> switchStatement(cell);
            default -> loop(cell);
        }
    }

    private void newVariable(List<CellProgram.Part> cell) {
        String type = SCALARS.get(rnd.nextInt(SCALARS.size()));
        List<Var> from = vars.values().stream().filter(v -> SCALARS.contains(v.type())).toList();
        // often computed from one variable alone, so that declaring that one again makes JShell compile this again
        declare(cell, fresh("v"), type, !from.isEmpty() && rnd.nextBoolean() ? as(type, pick(from)) : expr(type, 2));
    }

    /** @return variable {@code v} converted to {@code type} (int, long, double or String) */
    private E as(String type, Var v) {
        E e = var(v);
        if (type.equals("String")) {
            return wrap("(\"r\" + ", e, ")");
        }
        if (v.type().equals("String")) {
            return wrap("(" + type + ") ", wrap("", e, ".length()"), "");
        }
        return v.type().equals(type) ? e : wrap("(" + type + ") ", e, "");
    }

    private void declare(List<CellProgram.Part> cell, String name, String type, E init) {
        Var v = new Var(name, type, version(name));
        reads.put(name, vars.keySet().stream().filter(n -> java.util.regex.Pattern.compile("\\b"
                + java.util.regex.Pattern.quote(n) + "\\b").matcher(init.cell()).find()).toList());
        boolean inferred = rnd.nextInt(2) == 0 && !init.cell().contains("larger");
        cell.add(new CellProgram.Part((inferred ? "var" : type) + " " + name + " = " + init.cell() + ";", "",
                "static " + type + " " + v.java() + ";", v.java() + " = " + init.java() + ";"));
        vars.put(name, v);
    }

    private void redeclareVariable(List<CellProgram.Part> cell) {
        List<Var> scalars = vars.values().stream().filter(v -> SCALARS.contains(v.type())
                || v.type().equals("List<Integer>")).toList();
        if (scalars.isEmpty()) {
            newVariable(cell);
            return;
        }
        List<Var> read = scalars.stream().filter(o -> reads.values().stream().anyMatch(r -> r.contains(o.name())))
                .toList(); // one that a later variable was computed from, more often than not
        Var old = pick(read.isEmpty() || rnd.nextInt(3) == 0 ? scalars : read);
        List<String> others = SCALARS.stream().filter(t -> !t.equals(old.type())).toList();
        String type = others.get(rnd.nextInt(others.size()));
        vars.remove(old.name()); // the new declaration does not read the name it declares
        List<Var> readable = vars.values().stream().filter(v -> SCALARS.contains(v.type())).toList();
        // often one computed from the old declaration, which JShell compiles again with the new one
        List<Var> dependent = readable.stream().filter(v -> reads.getOrDefault(v.name(), List.of())
                .contains(old.name())).toList();
        readable = dependent.isEmpty() || rnd.nextInt(3) == 0 ? readable : dependent;
        declare(cell, old.name(), type, !readable.isEmpty() && rnd.nextBoolean() ? as(type, pick(readable))
                : expr(type, 2));
        Var now = vars.get(old.name());
        statement(cell, new E("System.out.println(" + now.name() + ");", "System.out.println(" + now.java() + ");"));
    }

    private void assign(List<CellProgram.Part> cell) {
        List<Var> scalars = vars.values().stream().filter(v -> SCALARS.contains(v.type())).toList();
        if (scalars.isEmpty()) {
            newVariable(cell);
            return;
        }
        Var v = scalars.get(rnd.nextInt(scalars.size()));
        E value = v.type().equals("String") ? expr("String", 1) : expr("int", 1);
        String op = rnd.nextBoolean() ? " += " : " = ";
        if (op.equals(" = ") && !v.type().equals("String")) {
            value = expr(v.type(), 1);
        }
        statement(cell, new E(v.name() + op + value.cell() + ";", v.java() + op + value.java() + ";"));
    }

    private void statement(List<CellProgram.Part> cell, E s) {
        cell.add(new CellProgram.Part(s.cell(), "", "", s.java()));
    }

    private void print(List<CellProgram.Part> cell) {
        String type = SCALARS.get(rnd.nextInt(SCALARS.size()));
        E e = expr(type, 2);
        statement(cell, new E("System.out.println(" + e.cell() + ");", "System.out.println(" + e.java() + ");"));
    }

    private void method(List<CellProgram.Part> cell) {
        List<Method> plain = methods.values().stream().filter(m -> m.kind().equals("plain")).toList();
        if (!plain.isEmpty() && rnd.nextInt(3) == 0) {
            Method old = plain.get(rnd.nextInt(plain.size()));
            plainMethod(cell, old.name());
            return;
        }
        int kind = rnd.nextInt(3);
        if (kind == 0) {
            plainMethod(cell, fresh("m"));
            return;
        }
        String name;
        List<Method> generic = methods.values().stream().filter(m -> !m.kind().equals("plain")).toList();
        boolean again = !generic.isEmpty() && rnd.nextInt(4) == 0;
        Method old = again ? generic.get(rnd.nextInt(generic.size())) : null;
        String k = again ? old.kind() : kind == 1 ? "pair" : "larger";
        name = again ? old.name() : fresh(k);
        String java = version(name);
        String stat = rnd.nextBoolean() ? "static " : "";
        String head;
        String body;
        String ret = "T";
        if (k.equals("pair") && rnd.nextBoolean()) {
            ret = "List";
            head = "<T> List<T> ";
            body = "(T a, T b) { return " + (rnd.nextBoolean() ? "List.of(a, b)" : "List.of(b, a, b)") + "; }";
        } else if (k.equals("pair")) {
            ret = "ArrayList";
            head = "<T> ArrayList<T> ";
            body = "(T a, T b) { return new ArrayList<>(List.of(a, " + (rnd.nextBoolean() ? "a" : "b") + ")); }";
        } else {
            head = "<T extends Comparable<T>> T ";
            body = "(T a, T b) { return a.compareTo(b) " + (rnd.nextBoolean() ? ">=" : "<=") + " 0 ? a : b; }";
        }
        cell.add(new CellProgram.Part(stat + head + name + body, "", "static " + head + java + body, ""));
        methods.put(name, new Method(name, k, ret, java));
        if (k.equals("pair") && rnd.nextBoolean()) { // a variable of what it returns: recompiled when it changes
            E a = expr("int", 1);
            E b = expr("int", 1);
            String name2 = fresh("c");
            Var v = new Var(name2, "List<Integer>", version(name2), ret + "<Integer>");
            E init = call(methods.get(name), a, b);
            cell.add(new CellProgram.Part("var " + name2 + " = " + init.cell() + ";", "", "static " + v.javaType() + " "
                    + v.java() + ";", v.java() + " = " + init.java() + ";"));
            vars.put(name2, v);
        }
    }

    private void plainMethod(List<CellProgram.Part> cell, String name) {
        String ret = List.of("int", "long", "String").get(rnd.nextInt(3));
        int k = 1 + rnd.nextInt(5);
        int c = rnd.nextInt(10);
        String body = switch (ret) {
            case "int" -> "return x * " + k + " + " + c + ";";
            case "long" -> "return x * " + k + "L - " + c + ";";
            default -> "return \"m" + c + ":\" + x;";
        };
        String java = version(name);
        String stat = rnd.nextBoolean() ? "static " : "";
        cell.add(new CellProgram.Part(stat + ret + " " + name + "(int x) { " + body + " }", "",
                "static " + ret + " " + java + "(int x) { " + body + " }", ""));
        methods.put(name, new Method(name, "plain", ret, java));
    }

    private void recordOrClass(List<CellProgram.Part> cell) {
        if (rnd.nextBoolean()) {
            String r = records.isEmpty() || rnd.nextInt(3) == 0 ? declareRecord(cell) : pick(records);
            E a = expr("int", 1);
            E b = expr("int", 1);
            declareObject(cell, r, new E("new " + r + "(" + a.cell() + ", " + b.cell() + ")",
                    "new " + typeJava.get(r) + "(" + a.java() + ", " + b.java() + ")"));
        } else {
            String c = classes.isEmpty() || rnd.nextInt(3) == 0 ? declareClass(cell) : pick(classes);
            declareObject(cell, c, new E("new " + c + "()", "new " + typeJava.get(c) + "()"));
        }
    }

    private void declareObject(List<CellProgram.Part> cell, String type, E init) {
        String name = fresh("o");
        Var v = new Var(name, type, version(name), typeJava.getOrDefault(type, type));
        cell.add(new CellProgram.Part((rnd.nextBoolean() ? "var" : type) + " " + name + " = " + init.cell() + ";", "",
                "static " + v.javaType() + " " + v.java() + ";", v.java() + " = " + init.java() + ";"));
        vars.put(name, v);
    }

    private String declareRecord(List<CellProgram.Part> cell) {
        String r = !records.isEmpty() && rnd.nextInt(4) == 0 ? pick(records) : fresh("Rec");
        declareType(cell, r, "record " + r + "(int a, int b) { int sum() { return a + b * " + (1 + rnd.nextInt(3))
                + "; } }");
        if (!records.contains(r)) {
            records.add(r);
        }
        return r;
    }

    private String declareClass(List<CellProgram.Part> cell) {
        String c = !classes.isEmpty() && rnd.nextInt(4) == 0 ? pick(classes) : fresh("Box");
        declareType(cell, c, "class " + c + " { int n = " + rnd.nextInt(5) + "; int bump(int by) { n += by; return n; "
                + "} }");
        if (!classes.contains(c)) {
            classes.add(c);
        }
        return c;
    }

    /**
     * Declares a record or class, or declares it again: the notebook then resets the variables of that type, which
     * no single program can do, so they are not used again (what was computed from them keeps its value). In the
     * single program a later declaration is nested in a class of its own, so that it keeps its simple name (a
     * record's toString shows it).
     */
    private void declareType(List<CellProgram.Part> cell, String name, String text) {
        String java = version(name);
        boolean first = java.endsWith("__1");
        vars.values().removeIf(v -> v.type().equals(name));
        typeJava.put(name, first ? name : java + "." + name);
        cell.add(new CellProgram.Part(text, "", first ? "static " + text : "static class " + java + " { static " + text
                + " }", ""));
    }

    private static final List<String> IMPORTS = List.of("import java.util.concurrent.atomic.AtomicInteger;",
            "import static java.lang.Math.floorMod;", "import java.time.Duration;", "import java.math.BigInteger;");

    private void importSome(List<CellProgram.Part> cell) {
        List<String> left = IMPORTS.stream().filter(i -> !imported.contains(i)).toList();
        if (left.isEmpty()) {
            print(cell);
            return;
        }
        String i = pick(left);
        cell.add(new CellProgram.Part(i, i, "", ""));
        imported.add(i);
        if (i.contains("AtomicInteger")) {
            declareObject(cell, "AtomicInteger", wrap("new AtomicInteger(", expr("int", 1), ")"));
        }
    }

    private void lambda(List<CellProgram.Part> cell) {
        String name = fresh("f");
        int k = 1 + rnd.nextInt(4);
        boolean ints = rnd.nextBoolean();
        String type = ints ? "IntUnaryOperator" : "Function<String, String>";
        String init = ints ? "x -> x * " + k + " - " + rnd.nextInt(7) : "s -> s + \"" + "!".repeat(k) + "\"";
        Var v = new Var(name, type, version(name));
        cell.add(new CellProgram.Part(type + " " + name + " = " + init + ";", "", "static " + type + " " + v.java()
                + ";", v.java() + " = " + init + ";"));
        vars.put(name, v);
    }

    private void switchStatement(List<CellProgram.Part> cell) {
        E on = expr("int", 1);
        E a = expr("String", 1);
        int x = rnd.nextInt(3);
        if (rnd.nextBoolean()) {
            cell.add(part("switch (" + on.cell() + ") {\n    case " + x + " -> System.out.println(\"case " + x
                    + "\");\n    case 7, 8 -> System.out.println(" + a.cell() + ");\n    default -> System.out.println("
                    + "\"other\");\n}", "switch (" + on.java() + ") { case " + x + " -> System.out.println(\"case " + x
                    + "\"); case 7, 8 -> System.out.println(" + a.java() + "); default -> System.out.println(\"other\");"
                    + " }"));
        } else {
            cell.add(part("switch (" + on.cell() + ") {\n    case " + x + ":\n        System.out.println(\"case " + x
                    + "\");\n        break;\n    default:\n        System.out.println(" + a.cell() + ");\n}",
                    "switch (" + on.java() + ") { case " + x + ": System.out.println(\"case " + x + "\"); break; "
                    + "default: System.out.println(" + a.java() + "); }"));
        }
        if (rnd.nextInt(3) == 0) { // a declaration right after the switch, in the same cell
            method(cell);
        }
    }

    private static CellProgram.Part part(String cell, String java) {
        return new CellProgram.Part(cell, "", "", java);
    }

    private void loop(List<CellProgram.Part> cell) {
        List<Var> ints = vars.values().stream().filter(v -> v.type().equals("int")).toList();
        int n = 1 + rnd.nextInt(4);
        if (!ints.isEmpty() && rnd.nextBoolean()) {
            Var v = pick(ints);
            cell.add(part("for (int i = 0; i < " + n + "; i++) {\n    " + v.name() + " += i * " + n + ";\n}",
                    "for (int i = 0; i < " + n + "; i++) { " + v.java() + " += i * " + n + "; }"));
            return;
        }
        E a = expr("int", 1);
        E b = expr("String", 1);
        if (rnd.nextBoolean()) {
            cell.add(part("for (var item : List.of(" + a.cell() + ", " + n + ")) {\n    System.out.println(\"item \" + "
                    + "item);\n}", "for (var item : List.of(" + a.java() + ", " + n + ")) { System.out.println(\"item \""
                    + " + item); }"));
        } else {
            cell.add(part("int w" + names + " = 0;\nwhile (w" + names + " < " + n + ") {\n    System.out.println("
                    + b.cell() + ");\n    w" + names + "++;\n}", "{ int w = 0; while (w < " + n + ") { System.out.println("
                    + b.java() + "); w++; } }"));
            names++;
        }
    }

    private <T> T pick(List<T> xs) {
        return xs.get(rnd.nextInt(xs.size()));
    }

    private static E wrap(String before, E e, String after) {
        return new E(before + e.cell() + after, before + e.java() + after);
    }

    private static E bin(E a, String op, E b) {
        return new E("(" + a.cell() + op + b.cell() + ")", "(" + a.java() + op + b.java() + ")");
    }

    private List<Var> varsOf(String type) {
        return vars.values().stream().filter(v -> v.type().equals(type)).toList();
    }

    private List<Method> plainReturning(String ret) {
        return methods.values().stream().filter(m -> m.kind().equals("plain") && m.ret().equals(ret)).toList();
    }

    private E var(Var v) {
        return new E(v.name(), v.java());
    }

    private E call(Method m, E... args) {
        StringBuilder c = new StringBuilder(m.name() + "(");
        StringBuilder j = new StringBuilder(m.java() + "(");
        for (int i = 0; i < args.length; i++) {
            c.append(i > 0 ? ", " : "").append(args[i].cell());
            j.append(i > 0 ? ", " : "").append(args[i].java());
        }
        return new E(c + ")", j + ")");
    }

    /** @return an expression of {@code type} (int, long, double or String), at most {@code depth} levels deep */
    private E expr(String type, int depth) {
        List<Var> same = varsOf(type);
        int choice = rnd.nextInt(depth <= 0 ? 2 : 8);
        if (choice == 1 && !same.isEmpty()) {
            return var(pick(same));
        }
        if (choice < 2) {
            return literal(type);
        }
        return switch (type) {
            case "int" -> intExpr(depth);
            case "long" -> choice % 2 == 0 && !plainReturning("long").isEmpty()
                    ? call(pick(plainReturning("long")), expr("int", depth - 1))
                    : bin(expr("int", depth - 1), " * ", E.of("3L"));
            case "double" -> bin(expr("int", depth - 1), " / ", E.of("2.0"));
            default -> stringExpr(depth);
        };
    }

    private E literal(String type) {
        int n = rnd.nextInt(21);
        return E.of(switch (type) {
            case "int" -> Integer.toString(n);
            case "long" -> n + "L";
            case "double" -> n + ".5";
            default -> "\"w" + n + "\"";
        });
    }

    private E intExpr(int depth) {
        List<Var> strings = varsOf("String");
        List<Var> lambdas = varsOf("IntUnaryOperator");
        List<Var> objects = vars.values().stream().filter(v -> records.contains(v.type())
                || classes.contains(v.type()) || v.type().equals("AtomicInteger")).toList();
        List<Method> larger = methods.values().stream().filter(m -> m.kind().equals("larger")).toList();
        List<Var> lists = varsOf("List<Integer>");
        switch (rnd.nextInt(10)) {
            case 8:
                if (!lists.isEmpty()) {
                    return wrap("", var(pick(lists)), ".size()");
                }
                break;
            case 0:
                if (!plainReturning("int").isEmpty()) {
                    return call(pick(plainReturning("int")), expr("int", depth - 1));
                }
                break;
            case 1:
                if (!strings.isEmpty()) {
                    return wrap("", var(pick(strings)), ".length()");
                }
                break;
            case 2:
                if (!lambdas.isEmpty()) {
                    Var f = pick(lambdas);
                    E arg = expr("int", depth - 1);
                    return new E(f.name() + ".applyAsInt(" + arg.cell() + ")", f.java() + ".applyAsInt(" + arg.java()
                            + ")");
                }
                break;
            case 3:
                if (!objects.isEmpty()) {
                    Var o = pick(objects);
                    String call = records.contains(o.type()) ? ".sum()" : classes.contains(o.type())
                            ? ".bump(" + rnd.nextInt(4) + ")" : ".incrementAndGet()";
                    return wrap("", var(o), call);
                }
                break;
            case 4:
                if (!larger.isEmpty()) {
                    return call(pick(larger), expr("int", depth - 1), expr("int", depth - 1));
                }
                break;
            case 5:
                if (imported.contains("import static java.lang.Math.floorMod;")) {
                    return wrap("floorMod(", expr("int", depth - 1), ", 3)");
                }
                break;
            case 6:
                E on = expr("int", depth - 1);
                return wrap("(switch (", on, ") { case 0 -> 10; case 1, 2 -> 20; default -> 30; })");
            default:
                break;
        }
        String op = List.of(" + ", " - ", " * ", " % 7 + ").get(rnd.nextInt(4));
        return bin(expr("int", depth - 1), op, expr("int", depth - 1));
    }

    private E stringExpr(int depth) {
        List<Var> functions = varsOf("Function<String, String>");
        List<Method> pairs = methods.values().stream().filter(m -> m.kind().equals("pair")).toList();
        List<Var> records = vars.values().stream().filter(v -> this.records.contains(v.type())).toList();
        switch (rnd.nextInt(7)) {
            case 0:
                if (!plainReturning("String").isEmpty()) {
                    return call(pick(plainReturning("String")), expr("int", depth - 1));
                }
                break;
            case 1:
                if (!functions.isEmpty()) {
                    Var f = pick(functions);
                    E arg = expr("String", depth - 1);
                    return new E(f.name() + ".apply(" + arg.cell() + ")", f.java() + ".apply(" + arg.java() + ")");
                }
                break;
            case 2:
                if (!pairs.isEmpty()) {
                    String t = pick(SCALARS);
                    return wrap("String.valueOf(", call(pick(pairs), expr(t, depth - 1), expr(t, depth - 1)), ")");
                }
                break;
            case 3:
                if (!records.isEmpty()) {
                    return wrap("String.valueOf(", var(pick(records)), ")");
                }
                if (!varsOf("List<Integer>").isEmpty()) {
                    return wrap("String.valueOf(", var(pick(varsOf("List<Integer>"))), ")");
                }
                break;
            case 4:
                if (imported.contains("import java.time.Duration;")) {
                    return E.of("Duration.ofSeconds(" + rnd.nextInt(5000) + ").toString()");
                }
                if (imported.contains("import java.math.BigInteger;")) {
                    return wrap("BigInteger.valueOf(", expr("int", depth - 1), ").pow(3).toString()");
                }
                break;
            case 5:
                return wrap("", expr("String", depth - 1), ".toUpperCase()");
            default:
                break;
        }
        return bin(E.of("\"s\""), " + ", expr(pick(SCALARS), depth - 1));
    }
}

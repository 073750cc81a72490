package tpdiff4j.kernel;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps {@code System.exit} written in a cell from ending the kernel on every Java version.
 *
 * <p>Before JShell's class of a cell is loaded, {@link #redirect} points its calls of {@code System.exit(int)} at
 * {@link #exit(int)} of this class, which throws {@link ExitBlocked}. Only the constant pool changes: two entries are
 * appended (this class's name and a class entry for it), and every method reference {@code java/lang/System.exit(I)V}
 * takes that class entry instead of {@code java/lang/System}; code, offsets and stack maps stay as they are. This is
 * the guard on Java 24 and newer, which removed the security manager that {@link ExitGuard} needs; up to Java 23
 * {@link ExitGuard} also stops exits that code outside the cell makes (a jar's own {@code System.exit}).
 */
public final class CellExit {

    private static final String TARGET = CellExit.class.getName().replace('.', '/');

    private CellExit() {
    }

    /**
     * What a cell's {@code System.exit(status)} calls instead.
     *
     * @param status the exit status the cell asked for
     * @throws ExitBlocked always
     */
    public static void exit(int status) {
        throw new ExitBlocked("System.exit", status);
    }

    /**
     * @param classFile a class file
     * @return the class file with its {@code System.exit(int)} calls aimed at {@link #exit(int)}; the same array when
     *         it has none (or its constant pool is full)
     */
    public static byte[] redirect(byte[] classFile) {
        ConstantPool pool = ConstantPool.read(classFile);
        List<Integer> exits = new ArrayList<>();
        for (int i = 1; i < pool.count; i++) {
            if (pool.tag(i) == ConstantPool.METHODREF
                    && "java/lang/System".equals(pool.className(pool.u2(i, 1)))
                    && "exit".equals(pool.utf8(pool.u2(pool.u2(i, 3), 1)))
                    && "(I)V".equals(pool.utf8(pool.u2(pool.u2(i, 3), 3)))) {
                exits.add(i);
            }
        }
        if (exits.isEmpty() || pool.count + 2 > 0xFFFF) {
            return classFile;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + TARGET.length() + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(classFile, 0, 8);                  // magic, minor and major version
            out.writeShort(pool.count + 2);
            byte[] copy = classFile.clone();
            int classEntry = pool.count + 1;
            for (int i : exits) {                        // Methodref: tag, class_index, name_and_type_index
                int at = pool.offset[i] + 1;
                copy[at] = (byte) (classEntry >> 8);
                copy[at + 1] = (byte) classEntry;
            }
            out.write(copy, 10, pool.end - 10);
            out.writeByte(ConstantPool.UTF8);            // entry count: this class's internal name
            byte[] name = TARGET.getBytes(StandardCharsets.UTF_8);
            out.writeShort(name.length);
            out.write(name);
            out.writeByte(ConstantPool.CLASS);           // entry count + 1: the class entry for that name
            out.writeShort(pool.count);
            out.write(classFile, pool.end, classFile.length - pool.end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The constant pool of a class file: where each entry starts, read without changing anything. */
    private static final class ConstantPool {
        static final int UTF8 = 1;
        static final int CLASS = 7;
        static final int METHODREF = 10;

        final byte[] data;
        final int count;
        final int[] offset;
        final int end;

        private ConstantPool(byte[] data, int count, int[] offset, int end) {
            this.data = data;
            this.count = count;
            this.offset = offset;
            this.end = end;
        }

        static ConstantPool read(byte[] data) {
            if (data.length < 10 || (data[0] & 0xFF) != 0xCA || (data[1] & 0xFF) != 0xFE
                    || (data[2] & 0xFF) != 0xBA || (data[3] & 0xFF) != 0xBE) {
                throw new IllegalArgumentException("classFile: not a class file (no 0xCAFEBABE header, "
                        + data.length + " bytes)");
            }
            int count = ((data[8] & 0xFF) << 8) | (data[9] & 0xFF);
            int[] offset = new int[count];
            int at = 10;
            for (int i = 1; i < count; i++) {
                offset[i] = at;
                int tag = data[at] & 0xFF;
                switch (tag) {
                    case UTF8 -> at += 3 + (((data[at + 1] & 0xFF) << 8) | (data[at + 2] & 0xFF));
                    case CLASS, 8, 16, 19, 20 -> at += 3;  // Class, String, MethodType, Module, Package
                    case 15 -> at += 4;                    // MethodHandle
                    case 3, 4, 9, METHODREF, 11, 12, 17, 18 -> at += 5;
                    case 5, 6 -> {                         // Long, Double: two slots
                        at += 9;
                        i++;
                    }
                    default -> throw new IllegalArgumentException("classFile: unknown constant pool tag " + tag
                            + " at entry " + i);
                }
            }
            return new ConstantPool(data, count, offset, at);
        }

        int tag(int i) {
            return offset[i] == 0 ? 0 : data[offset[i]] & 0xFF;
        }

        /** @return the u2 at {@code delta} bytes into entry {@code i} (the tag is byte 0) */
        int u2(int i, int delta) {
            int at = offset[i] + delta;
            return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
        }

        String utf8(int i) {
            if (tag(i) != UTF8) {
                return null;
            }
            // modified UTF-8 equals UTF-8 for the ASCII names compared here
            return new String(data, offset[i] + 3, u2(i, 1), StandardCharsets.UTF_8);
        }

        String className(int i) {
            return tag(i) == CLASS ? utf8(u2(i, 1)) : null;
        }
    }
}

package dev.lanes.property;

import java.util.Collection;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/** Prints generated values for failure messages: arrays element-wise, long ones abbreviated. */
final class Show {

    /** Arrays longer than this print their first {@code MAX_ELEMENTS} elements and the length. */
    static final int MAX_ELEMENTS = 64;

    private Show() {
    }

    static String value(Object v) {
        return switch (v) {
            case null -> "null";
            case float[] a -> elements(a.length, i -> Float.toString(a[i]));
            case double[] a -> elements(a.length, i -> Double.toString(a[i]));
            case int[] a -> elements(a.length, i -> Integer.toString(a[i]));
            case long[] a -> elements(a.length, i -> Long.toString(a[i]));
            case boolean[] a -> elements(a.length, i -> Boolean.toString(a[i]));
            case byte[] a -> elements(a.length, i -> Byte.toString(a[i]));
            case Object[] a -> elements(a.length, i -> value(a[i]));
            case Collection<?> c -> elements(c.size(), c.stream().map(Show::value).toList()::get);
            default -> String.valueOf(v);
        };
    }

    private static String elements(int n, IntFunction<String> element) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < Math.min(n, MAX_ELEMENTS); i++) {
            j.add(element.apply(i));
        }
        if (n > MAX_ELEMENTS) {
            j.add("... (" + n + " elements)");
        }
        return j.toString();
    }
}

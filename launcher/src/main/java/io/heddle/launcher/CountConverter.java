package io.heddle.launcher;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A whole number from 1 to 100000 (how many lines, runs...). */
final class CountConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        String v = value == null ? "" : value;
        if (!v.matches("[0-9]{1,6}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 100_000) {
            throw new TypeConversionException("'" + value + "' is not a count. Give a whole number from 1 to 100000");
        }
        return Integer.parseInt(v);
    }
}

package io.heddle.launcher;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A whole number of seconds from 0 to 86400. */
final class SecondsConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        String v = value == null ? "" : value.trim();
        if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) > 86_400) {
            throw new TypeConversionException(
                    "'" + value + "' is not a number of seconds. Use a whole number from 0 to 86400");
        }
        return Integer.parseInt(v);
    }
}

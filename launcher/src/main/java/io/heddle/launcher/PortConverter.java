package io.heddle.launcher;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A TCP port: decimal digits only, 0 to 65535 (0 picks a free port). Rejects what a lenient
 * parser would take ({@code 0x1}, {@code +80}, {@code 8e3}, {@code ' 80'}).
 */
final class PortConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        String v = value == null ? "" : value;
        if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) > 65535) {
            throw new TypeConversionException(
                    "'" + value + "' is not a port number. Use a whole number from 0 to 65535 (0 picks a free port)");
        }
        return Integer.parseInt(v);
    }
}

package io.heddle.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

class R7FormatTest {

    private static final ServiceReference<?> REFERENCE = (ServiceReference<?>) Proxy.newProxyInstance(
            R7FormatTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class}, (p, m, a) -> null);

    @Test
    void placeholdersTakeTheArgumentsInOrder() {
        assertThat(R7Format.format("a {} b {} c", new Object[] {1, "two"}, false).message)
                .isEqualTo("a 1 b two c");
    }

    @Test
    void aBackslashEscapesAPlaceholderAndTwoKeepABackslashBeforeIt() {
        assertThat(R7Format.format("literal \\{} then {}", new Object[] {"x"}, false).message)
                .isEqualTo("literal {} then x");
        assertThat(R7Format.format("slash \\\\{}", new Object[] {"x"}, false).message)
                .isEqualTo("slash \\x");
    }

    @Test
    void aPlaceholderWithoutAnArgumentStays() {
        assertThat(R7Format.format("{} and {}", new Object[] {"one"}, false).message)
                .isEqualTo("one and {}");
    }

    @Test
    void aTrailingThrowableIsTheExceptionNotAnArgument() {
        IllegalStateException boom = new IllegalStateException("boom");

        R7Format.Result result = R7Format.format("failed {}", new Object[] {"x", boom}, false);

        assertThat(result.message).isEqualTo("failed x");
        assertThat(result.thrown).isSameAs(boom);
    }

    @Test
    void aTrailingThrowableAndServiceReferenceInEitherOrderAreBothTaken() {
        IllegalStateException boom = new IllegalStateException("boom");

        R7Format.Result first = R7Format.format("{} {}", new Object[] {"x", REFERENCE, boom}, false);
        R7Format.Result second = R7Format.format("{} {}", new Object[] {"x", boom, REFERENCE}, false);

        assertThat(first.message).isEqualTo("x {}");
        assertThat(first.thrown).isSameAs(boom);
        assertThat(second.message).isEqualTo("x {}");
        assertThat(second.thrown).isSameAs(boom);
    }

    @Test
    void twoTrailingThrowablesLeaveTheFirstAsAnArgument() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException last = new IllegalStateException("last");

        R7Format.Result result = R7Format.format("got {}", new Object[] {first, last}, false);

        assertThat(result.message).isEqualTo("got java.lang.IllegalStateException: first");
        assertThat(result.thrown).isSameAs(last);
    }

    @Test
    void formatterLoggerUsesPrintfAndABadFormatNamesItself() {
        assertThat(R7Format.format("%s=%d", new Object[] {"n", 3}, true).message)
                .isEqualTo("n=3");
        assertThat(R7Format.format("%d", new Object[] {"x"}, true).message)
                .startsWith("The message could not be formatted")
                .contains("format '%d'", "[x]");
    }

    @Test
    void arraysArePrintedElementByElement() {
        assertThat(R7Format.format("{}", new Object[] {new Object[] {new String[] {"a", "b"}}}, false).message)
                .isEqualTo("[[a, b]]");
    }
}

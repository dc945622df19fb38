package ${package};

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** A plain unit test: no container, runs in mvn test. */
public class HelloMessageTest {

    @Test
    public void helloNamesTheServer() {
        assertEquals("{\"message\":\"Hello from ${artifactId}\",\"serverId\":\"daemon-1-2\"}",
                HelloMessage.hello("daemon-1-2"));
    }

    @Test
    public void errorsAreEscapedJson() {
        assertEquals("{\"error\":{\"code\":\"bad\",\"message\":\"a \\\"quoted\\\" \\\\ line\\u000a\"}}",
                HelloMessage.error("bad", "a \"quoted\" \\ line\n"));
    }
}

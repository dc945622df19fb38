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
    public void theServerIdIsEscapedJson() {
        assertEquals("{\"message\":\"Hello from ${artifactId}\",\"serverId\":\"a \\\"quoted\\\" \\\\ line\\n\"}",
                HelloMessage.hello("a \"quoted\" \\ line\n"));
    }
}

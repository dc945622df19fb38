import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The baseline: embedded Jetty 12 on 127.0.0.1:PORT serving GET /api/health, and GET
 * /api/runtime-host with the same JSON shape and size as Heddle's (fixed facts, built per request
 * the way Heddle builds them), each from one servlet.
 */
public final class BareJetty {

    public static final class Health extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] body = "{\"status\":\"ok\",\"serverId\":\"bare-jetty\"}".getBytes(StandardCharsets.UTF_8);
            response.setContentType("application/json;charset=utf-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    public static final class RuntimeHost extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final long pid = ProcessHandle.current().pid();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String json = "{\"mode\":\"daemon\",\"serverId\":\"daemon-" + pid + "-1780000000000\","
                    + "\"endpoint\":{\"host\":\"127.0.0.1\",\"port\":" + request.getLocalPort() + "},"
                    + "\"registryPath\":\"/tmp/heddle-bench/home/daemon-registry.json\","
                    + "\"workspaceRoot\":\"/tmp/heddle-bench/ws\",\"stateRoot\":\"/tmp/heddle-bench/ws/.heddle\","
                    + "\"startedAt\":\"2026-06-02T00:00:00.000Z\",\"pid\":" + pid + ",\"owner\":true,"
                    + "\"liveRecord\":{\"serverId\":\"daemon-" + pid + "-1780000000000\","
                    + "\"lastSeenAt\":\"2026-06-02T00:10:04.512Z\",\"ageMs\":"
                    + (System.currentTimeMillis() - 1780000000000L) % 15000 + ",\"fresh\":true}}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            response.setContentType("application/json;charset=utf-8");
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8765;
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(Health.class, "/api/health");
        context.addServlet(RuntimeHost.class, "/api/runtime-host");
        server.setHandler(context);
        long startNanos = System.nanoTime();
        server.start();
        System.out.println("listening at http://127.0.0.1:" + connector.getLocalPort() + "; start took "
                + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
        server.join();
    }
}

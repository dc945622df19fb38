package io.heddle.itest.browser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Not a test (failsafe runs only *IT and *E2E): measures the first load of the Overview in
 * headless Chromium, each load in a fresh browser profile (nothing cached), against a daemon
 * of the built distribution. Prints bytes over the wire and Navigation Timing figures per load
 * and their medians. Run by {@code bench/web-first-load.sh}; figures in docs/performance.md.
 */
public final class WebFirstLoadBench {

    private WebFirstLoadBench() {}

    public static void main(String[] args) throws Exception {
        int loads = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Browser.assumeInstalled();
        try (UiServer server = UiServer.start("web-bench", home -> {})) {
            String ws = server.workspaceId();
            for (int i = 0; i < 3; i++) {
                String body = server.call(
                                "POST",
                                "/api/workspaces/" + ws + "/heartbeat/tasks",
                                "{\"name\":\"task " + i
                                        + "\",\"task\":\"x\",\"schedule\":{\"intervalMs\":600000},\"runner\":\"command\","
                                        + "\"runnerConfig\":{\"argv\":[\"true\"]}}")
                        .body();
                String id = io.heddle.itest.TestSupport.jsonString(body, "id");
                server.call("POST", "/api/workspaces/" + ws + "/heartbeat/tasks/" + id + "/run", null);
            }
            List<Double> complete = new ArrayList<>();
            List<Double> fcp = new ArrayList<>();
            List<Long> assetBytes = new ArrayList<>();
            System.out.println(
                    "load  assets+index bytes  (encoded body)  api bytes  first paint ms  DOMContentLoaded ms  overview complete ms");
            for (int i = 1; i <= loads; i++) {
                try (Browser browser = new Browser()) {
                    browser.open(server.url("/"));
                    browser.until(
                            "the overview to be complete",
                            d -> browser.js(
                                    "return performance.getEntriesByName('heddle:overview-complete').length > 0"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) browser.js(String.join(
                            "\n",
                            "const nav = performance.getEntriesByType('navigation')[0];",
                            "let assets = nav.transferSize, encoded = nav.encodedBodySize, api = 0;",
                            "for (const r of performance.getEntriesByType('resource')) {",
                            "  if (new URL(r.name).pathname.startsWith('/api/')) api += r.transferSize;",
                            "  else { assets += r.transferSize; encoded += r.encodedBodySize; }",
                            "}",
                            "const paint = performance.getEntriesByName('first-contentful-paint')[0];",
                            "return {assets, encoded, api, fcp: paint ? paint.startTime : -1,",
                            "  dcl: nav.domContentLoadedEventEnd,",
                            "  complete: performance.getEntriesByName('heddle:overview-complete')[0].startTime};"));
                    long assets = ((Number) m.get("assets")).longValue();
                    double done = ((Number) m.get("complete")).doubleValue();
                    double paint = ((Number) m.get("fcp")).doubleValue();
                    assetBytes.add(assets);
                    complete.add(done);
                    fcp.add(paint);
                    System.out.printf(
                            "%4d  %19d  %14d  %9d  %13.1f  %19.1f  %20.1f%n",
                            i,
                            assets,
                            ((Number) m.get("encoded")).longValue(),
                            ((Number) m.get("api")).longValue(),
                            paint,
                            ((Number) m.get("dcl")).doubleValue(),
                            done);
                }
            }
            Collections.sort(assetBytes);
            System.out.printf(
                    "median of %d: assets+index %d bytes, first contentful paint %.1f ms, overview complete %.1f ms%n",
                    loads, assetBytes.get(loads / 2), median(fcp), median(complete));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

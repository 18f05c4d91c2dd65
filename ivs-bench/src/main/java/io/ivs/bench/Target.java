package io.ivs.bench;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One running IVS and its database: the HTTP client with its tokens, connections for the
 * ceilings, and the few API calls the scenarios share.
 */
final class Target implements AutoCloseable {
    static final String ENVIRONMENT = "bench";

    final ServerProcess server;
    final Http http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<Connection> connections = new ArrayList<>();

    Target(ServerProcess server, String clientSecret) throws Exception {
        this.server = server;
        this.http = new Http(server.httpPort());
        Http.Response probe = http.get(ENVIRONMENT, configurationPath());
        if (probe.statusCode() == 401) {
            System.out.println(
                    "bench: IVS asks for bearer tokens; using client " + BearerTokens.CLIENT_ID);
            http.useBearerTokens(new BearerTokens(http.client(), http.base(), clientSecret));
            probe = http.get(ENVIRONMENT, configurationPath());
        }
        require(probe, "reading the configuration");
    }

    static String api(String path) {
        return "/api/environment/" + ENVIRONMENT + path;
    }

    private static String configurationPath() {
        return api("/configuration");
    }

    /** Switches soft reservations on (they are off in the default configuration). */
    void enableReservations() throws IOException, InterruptedException {
        Http.Response current = http.get(ENVIRONMENT, configurationPath());
        require(current, "reading the configuration");
        ObjectNode document = (ObjectNode) json.readTree(current.body());
        ((ObjectNode) document.get("reservConfiguration")).put("isReservEnabled", true);
        byte[] body = json.writeValueAsBytes(document);
        require(
                http.post(ENVIRONMENT, api("/configuration/hardupdate"), body),
                "enabling reservations");
    }

    /** Switches the inventory summary on in immediate mode (it follows the change feed). */
    void enableImmediateSummary() throws IOException, InterruptedException {
        Http.Response current = http.get(ENVIRONMENT, configurationPath());
        require(current, "reading the configuration");
        ObjectNode document = (ObjectNode) json.readTree(current.body());
        ObjectNode storage = document.has("storageConfiguration")
                ? (ObjectNode) document.get("storageConfiguration")
                : document.putObject("storageConfiguration");
        storage.put("isOnHandMostSpecificStorageEnabled", true);
        storage.put("refreshMode", "immediate");
        byte[] body = json.writeValueAsBytes(document);
        require(
                http.post(ENVIRONMENT, api("/configuration/hardupdate"), body),
                "switching the summary on");
    }

    /** Posts events in bulk requests and fails unless every event was accepted. */
    void postAll(List<Events.Event> events) throws IOException, InterruptedException {
        for (int from = 0; from < events.size(); from += Options.BULK_SIZE) {
            List<Events.Event> chunk =
                    events.subList(from, Math.min(events.size(), from + Options.BULK_SIZE));
            Http.Response response =
                    http.post(ENVIRONMENT, api("/onhand/bulk"), Events.json(chunk));
            if (!allAccepted(response, chunk.size())) {
                throw new IllegalStateException("loading events failed: " + response.statusCode()
                        + " " + new String(response.body(), StandardCharsets.UTF_8));
            }
        }
    }

    /** A bulk answer is 200 with one 200 envelope per event. */
    static boolean allAccepted(Http.Response response, int events) {
        return response.statusCode() == 200
                && Bytes.count(response.body(), "\"statusCode\":200".getBytes()) == events;
    }

    JsonNode indexQuery(List<String> products, List<String> groupBy)
            throws IOException, InterruptedException {
        Http.Response response =
                http.post(ENVIRONMENT, api("/onhand/indexquery"), queryBody(products, groupBy));
        require(response, "querying");
        return json.readTree(response.body());
    }

    static byte[] queryBody(List<String> products, List<String> groupBy) {
        StringBuilder out = new StringBuilder(64 + products.size() * 12)
                .append("{\"filters\":{\"organizationId\":[\"")
                .append(Events.ORGANIZATION)
                .append("\"],\"productId\":[");
        for (int i = 0; i < products.size(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(products.get(i)).append('"');
        }
        out.append("]},\"groupByValues\":[");
        for (int i = 0; i < groupBy.size(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(groupBy.get(i)).append('"');
        }
        return out.append("],\"returnNegative\":true}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A new connection to the embedded PostgreSQL, closed with this target. */
    /** A connection to the embedded PostgreSQL, in {@code schema}, or the default one if null. */
    synchronized Connection connect(@Nullable String schema) throws SQLException {
        Connection con = DriverManager.getConnection(
                server.jdbcUrl(schema), server.postgresUser(), postgresPassword());
        connections.add(con);
        return con;
    }

    private String postgresPassword() throws SQLException {
        try {
            return server.postgresPassword();
        } catch (java.io.IOException e) {
            throw new SQLException("cannot read the embedded PostgreSQL's password", e);
        }
    }

    String postgresVersion() throws SQLException {
        try (Connection con = DriverManager.getConnection(
                        server.jdbcUrl(null), server.postgresUser(), postgresPassword());
                var st = con.createStatement();
                var rs = st.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void require(Http.Response response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " failed: " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public synchronized void close() {
        for (Connection con : connections) {
            try {
                con.close();
            } catch (SQLException e) {
                // Closing on the way out; nothing to do.
            }
        }
        http.close();
        server.close();
    }
}

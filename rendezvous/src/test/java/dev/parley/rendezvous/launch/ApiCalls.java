package dev.parley.rendezvous.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testsupport.ServerProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The HTTP half of the protocol, as the process tests call it on a {@link ServerProcess}. */
final class ApiCalls {
    static final ObjectMapper JSON = new ObjectMapper();

    private ApiCalls() {
    }

    static HttpResponse<String> get(HttpClient http, ServerProcess server, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient http, ServerProcess server, String path, String username,
            String password) throws Exception {
        String body = JSON.writeValueAsString(Map.of("username", username, "password", password));
        HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in and returns the session token; fails the test unless the login succeeds. */
    static String login(HttpClient http, ServerProcess server, String username, String password) throws Exception {
        HttpResponse<String> response = post(http, server, "/api/login", username, password);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = JSON.readTree(response.body());
        assertEquals(username, result.path("user").asText());
        String token = result.path("token").asText();
        assertFalse(token.isEmpty(), response.body());
        return token;
    }
}

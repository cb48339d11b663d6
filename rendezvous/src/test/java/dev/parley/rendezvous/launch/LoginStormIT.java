package dev.parley.rendezvous.launch;

import static dev.parley.rendezvous.launch.ApiCalls.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.LeftoverProcesses;
import dev.parley.testsupport.ServerProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storm of unauthenticated logins against the packaged server (the per-address limit lifted, so
 * only the bound on password hashing stands): every request is answered, none waits in a queue
 * that grows with the storm, memory stays bounded, and a real login goes through afterwards.
 */
@ExtendWith(LeftoverProcesses.class)
class LoginStormIT {
    private static final int STORM = 200;
    /** Far above what a few Argon2id hashes at a time need, far below what 200 at once would take. */
    private static final long MAX_RSS_KIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void everyLoginOfAStormIsAnsweredAndTheServerStaysUsable() throws Exception {
        Path credentials = Files.writeString(tmp.resolve("credentials.txt"), "owner owner-secret\n");
        try (ServerProcess server = ServerProcess.start(tmp.resolve("data"), "--credentials", credentials.toString(),
                "--login-rate", "100000/1s")) {
            HttpClient http = server.client();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < STORM; i++) {
                String body = ApiCalls.JSON.writeValueAsString(Map.of("username", "nobody" + i, "password", "guess" + i));
                HttpRequest request = HttpRequest.newBuilder(server.uri("/api/login")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            int busy = 0;
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
                assertTrue(Set.of(401, 503).contains(response.statusCode()), response.statusCode() + " " + response.body());
                if (response.statusCode() == 503) {
                    assertTrue(response.body().contains("retry-later"), response.body());
                    busy++;
                }
            }
            assertTrue(busy > 0, "a storm of " + STORM + " is more than the hashing bound takes at once");
            long rss = rssKib(server.pid());
            assertTrue(rss < MAX_RSS_KIB, "server RSS " + rss + " KiB after the storm");
            assertEquals(false, login(http, server, "owner", "owner-secret").isEmpty());
        }
    }

    private static long rssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}

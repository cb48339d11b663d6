package dev.parley.rendezvous.support;

import static io.restassured.RestAssured.given;

import dev.parley.common.protocol.Api;
import io.restassured.http.ContentType;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates users over the real HTTP API. Names are unique per test run, since tests share one database. */
public final class Users {
    public static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 100_000, 36);

    private Users() {
    }

    /** A fresh, valid username starting with {@code stem}. */
    public static String fresh(String stem) {
        return stem + "-" + RUN + "-" + SEQ.incrementAndGet();
    }

    public static String register(String username) {
        given().contentType(ContentType.JSON).body(new Api.Credentials(username, PASSWORD))
                .when().post(Api.REGISTER)
                .then().statusCode(201);
        return username;
    }

    /** Logs in and returns the session token. */
    public static String login(String username) {
        return given().contentType(ContentType.JSON).body(new Api.Credentials(username, PASSWORD))
                .when().post(Api.LOGIN)
                .then().statusCode(200)
                .extract().path("token");
    }
}

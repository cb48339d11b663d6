package dev.parley.rendezvous.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.parley.common.protocol.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server with a credentials file and registration switched off. */
@QuarkusTest
@TestProfile(RegistrationClosedTest.SeededClosed.class)
class RegistrationClosedTest {
    public static class SeededClosed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("credentials", ".txt");
                file.toFile().deleteOnExit();
                Files.writeString(file, """
                        # seeds format
                        hans falcon*solo
                        yoda wise@!man

                        this line has three fields
                        bad/name password
                        """);
                return Map.of("parley.registration", "false", "parley.credentials", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void seededUsersLogInAndNobodyCanRegister() {
        given().contentType(ContentType.JSON).body(new Api.Credentials("hans", "falcon*solo"))
                .when().post(Api.LOGIN).then().statusCode(200).body("user", equalTo("hans"));
        given().contentType(ContentType.JSON).body(new Api.Credentials("yoda", "wrong"))
                .when().post(Api.LOGIN).then().statusCode(401);
        given().contentType(ContentType.JSON).body(new Api.Credentials("this", "has"))
                .when().post(Api.LOGIN).then().statusCode(401);
        given().contentType(ContentType.JSON).body(new Api.Credentials("newcomer", "long enough"))
                .when().post(Api.REGISTER).then().statusCode(403)
                .body("code", equalTo("registration-closed"), "message", equalTo("registration is disabled on this server"));
    }
}

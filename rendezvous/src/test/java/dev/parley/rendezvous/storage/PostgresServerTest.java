package dev.parley.rendezvous.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The real server on PostgreSQL: registration and login go through it, and health reports it. */
@RequiresPostgres
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresServerTest {

    @AfterAll
    static void dropSchema() {
        PostgresTestDatabase.dropSchema(PostgresProfile.schema());
    }

    @Test
    void registerAndLoginAgainstPostgres() throws SQLException {
        given().contentType(ContentType.JSON).body(Map.of("username", "PgUser", "password", "correct horse"))
                .when().post("/api/register")
                .then().statusCode(201).body("user", equalTo("PgUser"));
        given().contentType(ContentType.JSON).body(Map.of("username", "pguser", "password", "another one"))
                .when().post("/api/register")
                .then().statusCode(409);

        given().contentType(ContentType.JSON).body(Map.of("username", "pguser", "password", "correct horse"))
                .when().post("/api/login")
                .then().statusCode(200).body("user", equalTo("PgUser")).body("token", notNullValue());
        given().contentType(ContentType.JSON).body(Map.of("username", "PgUser", "password", "wrong horse"))
                .when().post("/api/login")
                .then().statusCode(401).body("code", notNullValue());

        // the rows are in PostgreSQL, in this test's schema
        try (Connection c = PostgresTestDatabase.dataSource(PostgresProfile.schema()).getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select username from account where username_key = 'pguser'")) {
            rs.next();
            assertEquals("PgUser", rs.getString(1));
        }
    }

    @Test
    void healthShowsPostgresqlUpAndNoEmbeddedDatabase() {
        JsonPath health = given().when().get("/q/health").then().statusCode(200).extract().jsonPath();
        System.out.println("GET /q/health: " + health.prettify());
        String body = health.prettify();
        assertEquals("UP", health.getString("status"), body);
        List<Map<String, Object>> datasources = health.getList("checks.findAll { it.data?.postgresql != null }");
        assertEquals(1, datasources.size(), "one check reports the postgresql datasource: " + body);
        assertEquals("UP", health.getString("checks.find { it.data?.postgresql != null }.data.postgresql"), body);
        assertEquals(List.of(), health.getList("checks.findAll { it.data?.embedded != null }"),
                "the inactive embedded datasource is not checked: " + body);
    }
}

package dev.parley.rendezvous.support;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** REST Assured whose connections leave from a given loopback address (127.0.0.0/8), as if from another client. */
public final class SourceAddress {
    private SourceAddress() {
    }

    public static RestAssuredConfig from(String loopback) {
        try {
            return RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.route.local-address", InetAddress.getByName(loopback)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(loopback, e);
        }
    }
}

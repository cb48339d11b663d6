package dev.parley.rendezvous.session;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * TLS records written into pooled buffers. By default Vert.x gives the JDK's TLS engine an
 * allocator whose heap buffers are not pooled, and the engine asks for a buffer of the largest
 * record's size for every record: a 16 KiB array allocated and zeroed per frame was a third of
 * what sending a frame cost the event loop (profile of the relay, figure 2 and 4). Vert.x copies
 * what it reads out of pooled buffers before handing it on, so nothing pooled reaches our code.
 */
@ApplicationScoped
class PooledTlsBuffers implements HttpServerOptionsCustomizer {
    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (options.getSslEngineOptions() == null) {
            options.setSslEngineOptions(new JdkSSLEngineOptions().setPooledHeapBuffers(true));
        } else if (options.getSslEngineOptions() instanceof JdkSSLEngineOptions jdk) {
            options.setSslEngineOptions(jdk.copy().setPooledHeapBuffers(true));
        }
    }
}

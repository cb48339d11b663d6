package dev.parley.rendezvous.account;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.common.protocol.ProtocolCodec;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** The HTTP API reads its bodies as strictly as the protocol reads frames: one definition, in common. */
@Singleton
class StrictJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        ProtocolCodec.strict(mapper);
    }
}

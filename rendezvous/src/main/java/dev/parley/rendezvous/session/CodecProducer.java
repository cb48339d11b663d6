package dev.parley.rendezvous.session;

import dev.parley.common.protocol.ProtocolCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

class CodecProducer {
    @Produces
    @Singleton
    ProtocolCodec codec() {
        return new ProtocolCodec();
    }
}

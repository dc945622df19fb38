package io.heddle.engines.internal;

import io.heddle.api.chat.ChatEngine;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one configured engine as a {@link ChatEngine} service with the properties chat
 * reads: {@value ChatEngine#ENGINE_PROPERTY} (its name), {@code heddle.chat.protocol} and
 * {@code service.ranking}. Nothing else of the configuration becomes a service property.
 */
final class ModelEngineRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEngineRegistration.class);

    private final ServiceRegistration<ChatEngine> registration;
    private final HttpModelEngine engine;

    ModelEngineRegistration(BundleContext context, HttpModelEngine engine) {
        this.engine = engine;
        EngineSettings s = engine.settings();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ChatEngine.ENGINE_PROPERTY, s.name);
        props.put("heddle.chat.protocol", engine.protocol());
        props.put(Constants.SERVICE_RANKING, s.ranking);
        this.registration = context.registerService(ChatEngine.class, engine, props);
        engine.problem()
                .ifPresentOrElse(
                        p -> LOG.warn(
                                "Chat engine {} ({}) is configured but not usable: {}", s.name, engine.protocol(), p),
                        () -> LOG.info(
                                "Chat engine {} ({}, model {}, {}) is ready",
                                s.name,
                                engine.protocol(),
                                s.model,
                                s.baseUrl));
    }

    static HttpModelEngine engine(
            Map<String, Object> properties,
            String factoryPid,
            ModelProtocol protocol,
            String defaultBaseUrl,
            java.util.List<EngineSettings.SamplingKey> sampling,
            Map<String, String> extra) {
        return new HttpModelEngine(
                EngineSettings.parse(properties, factoryPid, defaultBaseUrl, sampling, extra), protocol);
    }

    void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
        LOG.info("Chat engine {} is no longer configured", engine.name());
    }
}

package io.heddle.engines.internal;

import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One OpenAI-compatible engine per factory configuration {@value #FACTORY_PID}
 * ({@code $HEDDLE_HOME/etc/io.heddle.chat.engine.openai-<name>.cfg}).
 */
@Component(
        configurationPid = OpenAiEngineComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public final class OpenAiEngineComponent {

    public static final String FACTORY_PID = "io.heddle.chat.engine.openai";

    private final ModelEngineRegistration registration;

    @Activate
    public OpenAiEngineComponent(BundleContext context, Map<String, Object> properties) {
        this.registration = new ModelEngineRegistration(
                context,
                ModelEngineRegistration.engine(
                        properties, FACTORY_PID, new OpenAiProtocol(), null, OpenAiProtocol.SAMPLING, Map.of()));
    }

    @Deactivate
    void deactivate() {
        registration.close();
    }
}

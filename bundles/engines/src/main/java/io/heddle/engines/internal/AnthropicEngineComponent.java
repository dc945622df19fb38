package io.heddle.engines.internal;

import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * One Anthropic engine per factory configuration {@value #FACTORY_PID}
 * ({@code $HEDDLE_HOME/etc/io.heddle.chat.engine.anthropic-<name>.cfg}).
 */
@Component(
        configurationPid = AnthropicEngineComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public final class AnthropicEngineComponent {

    public static final String FACTORY_PID = "io.heddle.chat.engine.anthropic";

    private final ModelEngineRegistration registration;

    @Activate
    public AnthropicEngineComponent(BundleContext context, Map<String, Object> properties) {
        this.registration = new ModelEngineRegistration(
                context,
                ModelEngineRegistration.engine(
                        properties,
                        FACTORY_PID,
                        new AnthropicProtocol(),
                        AnthropicProtocol.DEFAULT_BASE_URL,
                        AnthropicProtocol.SAMPLING,
                        Map.of("anthropicVersion", AnthropicProtocol.DEFAULT_VERSION)));
    }

    @Deactivate
    void deactivate() {
        registration.close();
    }
}

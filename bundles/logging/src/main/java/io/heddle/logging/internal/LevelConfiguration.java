package io.heddle.logging.internal;

import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;

/**
 * The levels' configuration, PID {@code io.heddle.logging}: a {@link ManagedService} (this bundle
 * starts before Configuration Admin, and is not a component). Deleting the configuration gives
 * the defaults again. Only loaded when {@code org.osgi.service.cm} is wired (an optional import).
 */
final class LevelConfiguration implements ManagedService {

    private final Consumer<Map<String, Object>> target;

    private LevelConfiguration(Consumer<Map<String, Object>> target) {
        this.target = target;
    }

    static ServiceRegistration<?> register(BundleContext context, Consumer<Map<String, Object>> target) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_PID, LevelSettings.PID);
        return context.registerService(ManagedService.class, new LevelConfiguration(target), props);
    }

    @Override
    public void updated(Dictionary<String, ?> properties) {
        if (properties == null) {
            target.accept(null);
            return;
        }
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            map.put(key, properties.get(key));
        }
        target.accept(map);
    }
}

package io.heddle.extensions.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Heddle extensions folder",
        description = "The hot-deploy folder for extension bundles and how often it is scanned.")
@interface ExtensionsConfiguration {

    String PID = "io.heddle.extensions";

    @AttributeDefinition(
            description = "The folder to watch (default $HEDDLE_HOME/extensions); a relative path is "
                    + "taken from $HEDDLE_HOME. heddle daemon --extensions-dir (the framework property heddle.extensions.dir) "
                    + "takes precedence.")
    String dir() default "";

    @AttributeDefinition(
            description = "How often the folder is scanned, in milliseconds (at least 20). "
                    + "A jar is installed once two scans agree on its size and time.")
    long pollMs() default ExtensionsFolder.DEFAULT_POLL_MS;
}

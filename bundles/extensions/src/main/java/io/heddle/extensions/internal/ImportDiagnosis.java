package io.heddle.extensions.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/**
 * Says which imports of a bundle that does not resolve nothing exports, with the version range
 * it asks for, and how to fix that: the resolver's own message names one requirement in its
 * internal notation.
 */
final class ImportDiagnosis {

    private static final Pattern PACKAGE = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)");
    private static final Pattern AT_LEAST = Pattern.compile("(?<!!)\\(version>=([^)]+)\\)");
    private static final Pattern BELOW = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");
    private static final Pattern AT_MOST = Pattern.compile("(?<!!)\\(version<=([^)]+)\\)");
    private static final Pattern ABOVE = Pattern.compile("\\(!\\(version<=([^)]+)\\)\\)");

    private ImportDiagnosis() {}

    /**
     * The mandatory package imports of the bundle that no bundle of the framework exports, as one
     * sentence with the fix; empty when every import has a provider (the cause is elsewhere).
     */
    static Optional<String> missingImports(BundleContext context, Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        FrameworkWiring wiring = system == null ? null : system.adapt(FrameworkWiring.class);
        if (revision == null || wiring == null) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (Namespace.RESOLUTION_OPTIONAL.equals(
                    requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) {
                continue;
            }
            if (wiring.findProviders(requirement).isEmpty()) {
                missing.add(describe(requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE)));
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("nothing exports " + String.join(", ", missing) + ", which it imports. Put "
                + (missing.size() == 1 ? "that package" : "those packages") + " into the jar (bnd "
                + "-conditionalpackage or Private-Package), deploy an extension that exports "
                + (missing.size() == 1 ? "it" : "them") + ", or import only what the platform exports "
                + "(see docs/extensions.md).");
    }

    /** "package com.example.lib version [1.0.0,2.0.0)" from a package requirement's filter. */
    static String describe(String filter) {
        if (filter == null) {
            return "a package";
        }
        Matcher name = PACKAGE.matcher(filter);
        if (!name.find()) {
            return filter;
        }
        String low = null;
        boolean lowInclusive = true;
        String high = null;
        boolean highInclusive = false;
        Matcher m;
        if ((m = AT_LEAST.matcher(filter)).find()) {
            low = m.group(1);
        } else if ((m = ABOVE.matcher(filter)).find()) {
            low = m.group(1);
            lowInclusive = false;
        }
        if ((m = BELOW.matcher(filter)).find()) {
            high = m.group(1);
        } else if ((m = AT_MOST.matcher(filter)).find()) {
            high = m.group(1);
            highInclusive = true;
        }
        String range;
        if (low == null && high == null) {
            range = "any version";
        } else if (high == null) {
            range = lowInclusive ? "version " + low + " or later" : "a version above " + low;
        } else {
            range = "version " + (lowInclusive ? "[" : "(") + (low == null ? "0.0.0" : low) + "," + high
                    + (highInclusive ? "]" : ")");
        }
        return "package " + name.group(1) + " (" + range + ")";
    }
}

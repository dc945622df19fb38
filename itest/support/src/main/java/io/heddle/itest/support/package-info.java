/**
 * The in-container test kit: {@link io.heddle.itest.support.HeddlePlatform} builds the Pax Exam
 * options (the platform bundles of a Heddle distribution), and
 * {@link io.heddle.itest.support.HeddleTestSupport} is the base class of a test that talks to a
 * started server and hot-deploys extensions.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.heddle.itest.support;

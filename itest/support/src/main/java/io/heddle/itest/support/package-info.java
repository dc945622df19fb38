/**
 * The in-container test kit: {@link io.heddle.itest.support.HeddlePlatform} builds the Pax Exam
 * options (the platform bundles of a Heddle distribution), and
 * {@link io.heddle.itest.support.HeddleTestSupport} is the base class of a test that talks to a
 * started server and hot-deploys extensions. {@link io.heddle.itest.support.FakeModelProvider} is a
 * loopback model server (OpenAI-compatible and Anthropic streaming) for tests of chat engines.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.heddle.itest.support;

/**
 * Chat: the engine SPI that produces replies ({@link io.heddle.api.chat.ChatEngine}, a
 * whiteboard service), the values a conversation is made of, the Event Admin topics of chat
 * sessions, and the embedded-chat host that runs a server of its own through the lifecycle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.heddle.api.chat;

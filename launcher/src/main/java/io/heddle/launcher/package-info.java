/** The heddle command. */
package io.heddle.launcher;

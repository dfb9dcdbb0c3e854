/**
 * Minimal programs that embed the stn4j SDK; {@link dev.stn4j.examples.EmbeddingExample} is the one
 * to copy.
 */
package dev.stn4j.examples;

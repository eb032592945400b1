/**
 * The Docker Engine, seen through a narrow interface.
 *
 * <p>Words: the <em>daemon</em> is the dockerd Stowage reads from or writes to, reached at a
 * <em>host</em> ({@code unix://} or {@code tcp://}); its <em>facts</em> are its version, API
 * version, storage driver and data-root. {@link dev.stowage.docker.DaemonClient} is all the rest of
 * Stowage knows of it, so tests and phases never see HTTP.
 *
 * <p>This is the only package that imports docker-java. It uses docker-java's transport (the
 * unix-socket HTTP client) and reads the Engine API's JSON itself: the typed command layer would
 * add a dozen dependencies, drops fields it does not model and throws on nulls, while Stowage
 * needs the engine's documents byte for byte and its save/load bodies as raw streams. The API
 * version is negotiated from {@code /version}, since docker-java does not negotiate. The two bulk
 * streams, the save tar down and the load tar up, bypass the transport ({@link
 * dev.stowage.docker.BulkStream}): it copies a request body 4 KiB per system call.
 */
package dev.stowage.docker;

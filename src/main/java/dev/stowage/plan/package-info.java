/**
 * What a run will move and whether it fits, worked out before anything is written. Pure: built
 * from facts the caller gathered, no IO.
 *
 * <p>Words: the <em>estimate</em> of a layer is its size as the engine's history reports it (the
 * save stream adds tar headers on top, about 1 %); a <em>space check</em> compares the estimate
 * plus a safety margin with the space free on the destination filesystem.
 */
package dev.stowage.plan;

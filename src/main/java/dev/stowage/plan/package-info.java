/**
 * What a run will move and whether it fits, worked out before anything is written. Pure: built
 * from facts the caller gathered (sizes, statvfs figures), no IO.
 *
 * <p>Words:
 * <ul>
 * <li>The <em>estimate</em> of a layer is the length of its tar as the engine will send it: exact
 *     where the caller read the daemon's tar-split record, else the size its history reports
 *     (the tar adds 512-byte headers on top, a few per cent for layers of small files; see {@link
 *     dev.stowage.plan.LayerEstimate}).</li>
 * <li>A <em>need</em> is one thing a run writes into one directory: how many, how many bytes and
 *     inodes ({@link dev.stowage.plan.SpaceNeed}). <em>Staging</em> is a need the daemon releases
 *     once a stream has passed (the save or load it stages under {@code <data-root>/tmp}).</li>
 * <li>A <em>budget</em> is the needs that land on one filesystem, against its free space and
 *     inodes with a margin ({@link dev.stowage.plan.FilesystemBudget}); paths on the same filesystem
 *     share one. A <em>space plan</em> is every budget of a run; it <em>fits</em> when each does
 *     ({@link dev.stowage.plan.SpacePlan}).</li>
 * <li>{@link dev.stowage.plan.ExportNeeds} and {@link dev.stowage.plan.ImportNeeds} hold the rules of
 *     what each operation writes where; {@link dev.stowage.plan.SpaceTable} renders a plan.</li>
 * </ul>
 */
package dev.stowage.plan;

/**
 * Build-time generation of the man pages and the shell completion from the picocli command model,
 * so that neither can drift from the code. It lives on the test classpath because it needs
 * picocli-codegen, which the shipped jar must not carry; Maven runs {@link dev.stowage.docgen.DocGen}
 * in {@code prepare-package}.
 *
 * <p>Words: a <em>page</em> is the AsciiDoc source of one man page (section 8), one per visible
 * command, named after the command's qualified name ({@code stowage-storage-export}); its
 * <em>extras</em> are the hand-written sections in {@code man/NAME.adoc} appended to what the model
 * yields (examples, files, safety notes). A command without extras still gets its page.
 */
package dev.stowage.docgen;

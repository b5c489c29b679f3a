// This extension has no code of its own: its pxt.json sets "tinyml.all_ops", which MakeCode passes
// to the C build of the tinyml extension (TINYML_ALL_OPS in kernels/loader.h) so that the board
// carries every op's kernel, not only those of the built-in models. See README.md.

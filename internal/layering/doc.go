// Package layering holds no code, only a test that pins which qbank
// packages may depend on which: configuration, the lint engine, the rules
// and the snippet runner stay free of the sandbox (they read its results
// as the plain data of package snippetio), the snippet outcomes depend on
// snippetio alone, snippetio on no other qbank package, and the Markdown
// renderer (shared by the rules and the exporters) on none either. The
// test reads the imports the way the build does (go/build: this platform,
// no test files), like `go list -deps`.
package layering

// Package snippet interprets what running a question's snippet showed. An
// Outcome holds the runs (plain snippetio results), and its methods are
// the one interpretation of a run that the QB5xx rules, the export
// verifier and `qbank run` share: Status, Judged, Actual, Limit, Verdict,
// Summary, and QualifiedName / ErrorMatches for exceptions. It also holds
// how an option is compared with what a snippet printed: the match levels
// (Exact, Normal, Loose; Compare, ExactForm, Normalize, Difference), the
// verdict over a question's options (Judge: the strictest level any option
// reaches decides), and the line diff of a multi-line mismatch (DiffLines).
// Markdown around an option is read with goldmark, as CommonMark defines
// it.
//
// Running snippets is package snippetrun's job. This package depends only
// on snippetio, so the lint engine and configuration, which hold outcomes,
// stay free of the sandbox (internal/layering pins this).
package snippet

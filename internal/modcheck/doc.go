// Package modcheck holds tests of the repository's modules as their
// users get them: the core's module graph and runtime dependencies, and
// the contrib modules' requirement of the core. It has no code.
package modcheck

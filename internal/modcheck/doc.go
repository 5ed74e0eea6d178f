// Package modcheck holds tests of the repository's two modules as their
// users get them: the core's module graph and runtime dependencies, and
// contrib/eino's requirement of the core. It has no code.
package modcheck

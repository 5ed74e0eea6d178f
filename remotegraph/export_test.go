package remotegraph

// Unexported helpers under test (export_test.go is compiled only with the
// package's tests).
var (
	SanitizeConfig = sanitizeConfig
	MergeConfigs   = mergeConfigs
)

// Sanitized is what SanitizeConfig returns.
type Sanitized = sanitized

// Package layering holds only a test: that each of Steward's packages
// imports none of what its row of the architecture table says it must
// not know (see the README's Architecture).
package layering

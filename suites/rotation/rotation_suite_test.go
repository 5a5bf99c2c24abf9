// The rotation suite: the reason two keys exist. List the keys, regenerate one, list again: the regenerated
// key is new, with a later createdAt and a connection string carrying it, and the other key is untouched.
// Against real ARM it runs only with LISTKEYS_ROTATE=1, since it invalidates the keys the workspace's users
// hold; against the emulator and from its cassettes it always runs.
package rotation_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

func TestRotation(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Rotation: regenerating one key at a time")
}

var runner *scenarios.Runner

var _ = BeforeSuite(func() { runner = suite.Setup() })

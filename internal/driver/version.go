package driver

import (
	"runtime/debug"
)

const modulePath = "github.com/nilsentry/nilsentry"

// Version is nilsentry's version as the build recorded it: the module
// version when installed with go install module@version, else "devel"
// with the VCS revision when the build stamped one.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := ""
	if bi.Main.Path == modulePath {
		v = bi.Main.Version
	} else {
		for _, dep := range bi.Deps {
			if dep.Path == modulePath {
				v = dep.Version
				if dep.Replace != nil {
					v = dep.Replace.Version
				}
			}
		}
	}
	if v != "" && v != "(devel)" {
		return v
	}
	v = "devel"
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += "-" + rev + dirty
	}
	return v
}

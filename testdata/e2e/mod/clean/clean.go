// Package clean holds nil-safe look-alikes of the bug in main.go:
// nilsentry must report nothing here.
package clean

import "os"

// Config is a configuration.
type Config struct {
	Name string
}

// Load returns the configuration named by the environment, or nil.
func Load() *Config {
	if v := os.Getenv("E2E_CONFIG"); v != "" {
		return &Config{Name: v}
	}
	return nil
}

// Name checks before it dereferences.
func Name() string {
	var c *Config
	if len(os.Args) > 5 {
		c = &Config{Name: os.Args[5]}
	}
	if c == nil {
		return "default"
	}
	return c.Name
}

// LoadedName checks a nil-able result.
func LoadedName() string {
	c := Load()
	if c != nil {
		return c.Name
	}
	return ""
}

// Always assigns on every path before the dereference.
func Always() string {
	var c *Config
	if len(os.Args) > 5 {
		c = &Config{Name: os.Args[5]}
	} else {
		c = &Config{Name: "none"}
	}
	return c.Name
}

// Lookup uses the comma-ok form of a map lookup.
func Lookup(m map[string]*Config, key string) string {
	if c, ok := m[key]; ok && c != nil {
		return c.Name
	}
	return ""
}

package knowledge

// TEMPORARY scaffolding so that the bot can be built while the real loader is
// written; the loader replaces this file.

import (
	"os"

	"gopkg.in/yaml.v3"
)

// Load reads, checks and indexes the knowledge file at path.
func Load(path string) (*Base, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse checks and indexes a knowledge file's content; name is used in messages.
func Parse(name string, data []byte) (*Base, error) {
	var f File
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	return build(name, f)
}

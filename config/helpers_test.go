package config

import "gopkg.in/yaml.v3"

func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: v, Line: 1}
}

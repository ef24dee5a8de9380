// Package render turns the model into bytes, without touching the file system: values.yaml and
// secrets.yaml as yaml.Node trees, summary.md, crewai-setup.yaml and helm command lines.
package render

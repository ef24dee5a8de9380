// Package yamlguard parses YAML documents with bounds, so that a small hostile file cannot
// make the tool run for minutes or fill memory: aliases are bounded the way Helm bounds them
// (its parser refuses "excessive aliasing" by the same rule, checked here by counting, without
// expanding anything), an anchor that contains an alias to itself is refused, and so are
// nesting deeper than MaxDepth and documents with more than MaxNodes nodes. It is apart from
// package guard so that guard stays free of any YAML library.
package yamlguard

//! CLI tests: `jiedu check`, `build`, `import`, `schema` run as the real binary.

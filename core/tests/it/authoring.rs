//! Authoring-format tests (parse, checks, rendering).

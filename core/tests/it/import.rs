//! Plain-text import tests.

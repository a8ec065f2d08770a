"""SQLite repositories and the knowledge store access."""

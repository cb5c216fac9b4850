"""The Textual app and the `weekly` command: the only UI layer."""

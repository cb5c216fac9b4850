"""The Textual app and the `weekly` command: the only UI layer."""

__version__ = "0.3.0"

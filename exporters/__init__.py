"""Markdown out and in. Importable without a terminal: never import Textual here."""

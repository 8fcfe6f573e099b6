"""careleaf: accessible patient leaflets, e-books and web pages from Markdown articles."""

__version__ = "0.1.0"

"""diplostream: diplomatic events from news, streamed."""

__version__ = "0.1.0"

"""newsents: turn a folder of news articles into an entity graph."""

__version__ = "0.1.0"

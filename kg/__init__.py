"""reformkg: a knowledge graph of Chinese local-government reform reports."""

__version__ = "0.1.0"

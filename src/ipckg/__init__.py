"""ipckg: a knowledge graph of international production-capacity cooperation."""

__version__ = "0.1.0"

"""Serving the archive: the Datasette plugin, ``serve`` and ``replay``."""

"""tuban-crawler: an archival crawler for the news of the Tuban regency government."""

__version__ = "0.1.0"

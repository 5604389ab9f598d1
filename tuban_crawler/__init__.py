"""tuban-crawler: an archival crawler for the news of the Tuban regency government."""

__version__ = "0.1.0"


def user_agent(contact_url: str) -> str:
    """Return the honest User-Agent: the archive's name, version and a contact URL."""
    return f"tuban-crawler/{__version__} (archive of Tuban regency news; +{contact_url})"

"""Where to go next: URLs, links, feeds, sitemaps, the walk and the frontier budget (pure)."""

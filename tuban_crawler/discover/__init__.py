"""Where to go next, and what it means: pure functions and small objects, Scrapy only in annotations.

URLs, links, feeds, sitemaps, the walk, the frontier budget, the start plan, pages held for a
date, redirects, canonical aliases, failures, robots.txt rules and page requisites.
"""

"""Scrapy extensions: the run's owner (its lock, row and report) and its progress."""

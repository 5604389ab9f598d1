"""Scrapy extensions: the run's progress."""

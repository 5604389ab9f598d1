"""Downloader middlewares: what happens to a request and its response on the wire."""

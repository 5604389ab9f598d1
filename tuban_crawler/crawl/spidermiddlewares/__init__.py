"""Spider middlewares: what happens to what the spider yields."""

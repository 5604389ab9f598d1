"""Everything Scrapy runs: spiders, pipelines, middlewares, extensions, the scheduler, the runner."""

"""The archive: schema, migrations, writes, the quality rule, files, lock, ownership, export (no Scrapy)."""

"""Scrapy's commands as this project runs them (``COMMANDS_MODULE``).

Only a crawl writes to the archive: ``scrapy crawl`` switches ``TUBAN_WRITE_ARCHIVE`` on;
every other command (``parse``, ``shell``, ``fetch``, ``view``, ``bench``) keeps Scrapy's own
behaviour and leaves ``archive.db`` and the WARC folder alone.
"""

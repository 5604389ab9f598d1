"""The project's own signals (as ``scrapy.signals``): how the crawl's components hand each other what they share.

The run recorder (``crawl.extensions.run_recorder``) owns the archive's one connection in
the crawl's process; the spider and the middlewares never open the archive themselves.
"""

#: Sent by the run recorder at ``spider_opened``, once it holds the archive's lock, has opened
#: the archive and recorded the start of the run; ``archive`` (an ``ArchiveReads``) is the
#: crawl's one connection to read what earlier runs kept (SQLite: on the crawl's thread only).
#: Not sent when the recorder refused the run (another crawl holds the archive): the crawl
#: closes before its first request.
archive_opened = object()

#: Sent by the run recorder at ``spider_closed``, before it records the run: the spider's
#: handler returns its ``discover.walk.Discovery`` (the walk, what the sources answered),
#: which the recorder keeps for the next runs. Nothing reads another component's attributes.
run_closing = object()

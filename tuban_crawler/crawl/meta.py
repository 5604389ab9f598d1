"""The project's own ``Request.meta`` keys, each spelt once.

Scrapy's own keys (``depth``, ``dont_redirect``, ``redirect_urls``, ``download_slot``,
``handle_httpstatus_list``, ``allow_offsite``, ``download_maxsize``...) are Scrapy's API and
are written as Scrapy documents them.
"""

# -- what a request is (set by the spider, read by the budget and the callbacks) ----------
#: ``listing``, ``entry``, ``sitemap`` or ``feed`` (see ``discover.budget``).
KIND = "tuban_kind"
#: A listing's chain: the URL of its first page.
HUB = "hub"
#: True on the first page of a listing chain (a start page that redirected too).
FIRST_OF_CHAIN = "first_of_chain"
#: A main listing of the last full walk (losing one is loud).
MAIN_HUB = "main_hub"
#: Listing pages of the chain so far that held only archived articles.
KNOWN_PAGES = "known_pages"
#: A start path (``TUBAN_START_PATHS``).
START = "start"
#: A listing reached from a start page (or a main hub asked for at the start).
FROM_START = "from_start"
#: A guessed page (a start path, a hub candidate, a sitemap or feed path): a miss is no failure.
OPTIONAL = "optional"
#: A page tried in case it is a listing: its failure is not the archive's loss.
PROBE = "probe"
#: The feed, sitemap or start path a request reads (what it answered is kept for the next runs).
SOURCE = "tuban_source"
#: The robots.txt request that carries the pages held for a date out of the idle spider.
FLUSH = "flush"
#: The spider's robots.txt request, answered from the copy the robots middleware read.
ROBOTS_SHARED = "tuban_robots_shared"

# -- entries ------------------------------------------------------------------------------
#: The archive's key of an entry (its canonical URL), whatever address is fetched.
CANONICAL_URL = "canonical_url"
#: The date written beside the entry's link on a listing, feed or sitemap.
HINT_PUBLISHED = "hint_published"
#: The redirects an entry request followed so far, and the entry that was discovered.
REDIRECT_CHAIN = "redirect_chain"
REDIRECT_ORIGIN = "redirect_origin"

# -- set by downloader and spider middlewares -----------------------------------------------
#: Where the WARC capture middleware says where the response was written.
CAPTURE = "warc_capture"
#: The lengths of the body as received: ``{"declared": Content-Length, "received": bytes}``.
LENGTHS = "received_lengths"
#: A page requisite's kind (``image``, ``stylesheet``...).
REQUISITE = "tuban_requisite"

# -- politeness ---------------------------------------------------------------------------
#: The host whose address ``download_slot`` holds (``downloadermiddlewares.server_slot``).
SLOT_HOST = "tuban_slot_host"

"""Scrapy settings for tuban-crawler: plain values only.

Every value can be overridden per run with ``tuban-crawler crawl -s NAME=VALUE`` (or
``scrapy crawl tuban -s NAME=VALUE``). The project's own settings start with ``TUBAN_``,
``ARCHIVE_`` or ``WARC_`` and are documented in the README ("Configuration").
"""

from tuban_crawler import user_agent

BOT_NAME = "tuban_crawler"
SPIDER_MODULES = ["tuban_crawler.crawl.spiders"]
NEWSPIDER_MODULE = "tuban_crawler.crawl.spiders"
#: Our versions of Scrapy's commands: only ``crawl`` writes to the archive (``scrapy parse``,
#: ``scrapy shell``... look at pages without touching it).
COMMANDS_MODULE = "tuban_crawler.crawl.commands"

# -- what to crawl ---------------------------------------------------------------------
#: The portal. The local test portal is only ever a base URL away.
TUBAN_BASE_URL = "https://tubankab.go.id"
#: More hosts of the same CMS to treat as in scope (e.g. "diskominfo.tubankab.go.id").
TUBAN_EXTRA_HOSTS: list[str] = []
#: Pages to start discovery from (paths on the base URL): home page and news listing. A
#: start path that is missing (404) or redirects elsewhere on the site is no failure.
TUBAN_START_PATHS = ["/", "/berita"]
#: Sitemaps and feeds; a missing one (404) costs one request and is not a failure. Feeds a
#: page announces (``<link rel="alternate">``) and sitemaps robots.txt names are read too.
TUBAN_SITEMAP_PATHS = ["/sitemap.xml"]
TUBAN_FEED_PATHS = ["/rss", "/feed"]
#: Read the ``Sitemap:`` lines of robots.txt.
TUBAN_ROBOTS_SITEMAPS = True
#: A page linking to at least this many distinct entries is a listing (its pagination is
#: followed, and in a full walk the in-site pages it links to are tried as listings).
TUBAN_LISTING_MIN_ENTRIES = 3
#: Regular expressions (on the URL path) of more pages to treat as listings; none is needed.
TUBAN_LISTING_PATTERNS: list[str] = []
#: The bounds of a run (discover/budget.py; what they cut is in the run report): listing pages per
#: listing (every branch of its pagination counted), listing pages and entries per run and site,
#: requests per host, listing hops from a start page, URLs differing only in digits.
TUBAN_MAX_LISTING_PAGES = 2000
TUBAN_MAX_LISTING_PAGES_PER_RUN = 20_000
TUBAN_MAX_ENTRIES_PER_RUN = 100_000
TUBAN_MAX_REQUESTS_PER_HOST = 150_000
TUBAN_MAX_LISTING_DEPTH = 2500
TUBAN_MAX_URLS_PER_SHAPE = 1000

# -- how much to crawl -------------------------------------------------------------------
#: "incremental" (stop at what is archived), "full" (walk and re-fetch everything).
#: An archive whose first backfill never finished is always walked in full.
TUBAN_MODE = "incremental"
#: Crawl the base URL even when the archive belongs to another site (``crawl --other-site``).
TUBAN_OTHER_SITE = False
#: Articles published within this many days are fetched again on each run.
TUBAN_REVISIT_DAYS = 7.0
#: Listing pages walked past the first page whose articles are all archived (0: stop there).
TUBAN_INCREMENTAL_OVERLAP_PAGES = 0
#: An incremental run asks for feeds and sitemaps (and start pages repeating a main listing)
#: only when its listings do not catch up, or this many days after they were last read
#: (conditionally); one that answered 404 is not asked again before then.
TUBAN_SOURCES_RECHECK_DAYS = 7.0
#: A page that failed this many runs in a row is no longer asked for (it stays in ``failures``).
TUBAN_MAX_ATTEMPTS = 3

# -- page requisites (photos, stylesheets, scripts, fonts, icons of archived articles) ---
TUBAN_REQUISITES_ENABLED = True
#: Hosts besides the portal's whose requisites are fetched (e.g. a CDN); none by default.
TUBAN_REQUISITE_HOSTS: list[str] = []
#: Largest requisite fetched, in bytes; a larger one is abandoned.
TUBAN_REQUISITE_MAX_BYTES = 8 * 1024 * 1024

# -- where it goes -----------------------------------------------------------------------
ARCHIVE_DB = "archive.db"
#: The archive is written by a process of its own (``crawl/writer.py``), in batches of up to this many
#: items, one transaction each; past this many items waiting, the crawl waits for it.
TUBAN_WRITER_MAX_BATCH = 500
TUBAN_WRITER_MAX_PENDING = 1000
WARC_ENABLED = True
#: Empty: the folder the archive records, else ``warc`` beside the archive (``store.warcfolder``).
WARC_DIR = ""
WARC_MAX_FILE_BYTES = 1_000_000_000
#: File names are PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz; warcinfo's isPartOf and description.
WARC_PREFIX = "tuban"
WARC_COLLECTION = "tuban"
WARC_DESCRIPTION = "News of the regency government of Tuban, East Java (tubankab.go.id)"
#: Package each run's WARC files (and the originals their revisits need) as one WACZ.
WACZ_PER_RUN = False
#: Where those go (empty: the WARC folder).
WACZ_DIR = ""
# TUBAN_WRITE_ARCHIVE (whether a run stores rows and WARC files) is deliberately not set here:
# off unless the run is a crawl. `tuban-crawler crawl` and `scrapy crawl` (commands/crawl.py, at
# "command" priority, which a value here would override) switch it on; `scrapy parse`/`shell` don't.

# -- the run report: a run below these shares of fields is reported as broken ------------
# (dates among articles; titles and bodies among all pages)
TUBAN_MIN_TITLE_COVERAGE = 0.9
TUBAN_MIN_DATE_COVERAGE = 0.8
TUBAN_MIN_BODY_COVERAGE = 0.9
#: A run that reaches less than this share of what the site announces (sitemap and feed
#: entries), of the listing pages of the last full walk, or of a field's coverage in the
#: archive before it (dates, authors, categories, views), is reported as broken.
TUBAN_MIN_SHARE_OF_HISTORY = 0.7
#: A run in which more than this share of the entries it fetched were refused (a worse copy,
#: an error or generic page) or failed (after retries) is reported as broken.
TUBAN_MAX_FAILED_SHARE = 0.1

# -- politeness for a small government server --------------------------------------------
TUBAN_CONTACT_URL = "https://github.com/tuban-crawler/tuban-crawler"
#: ``tuban-crawler crawl`` writes the contact URL of ``-s TUBAN_CONTACT_URL=...`` into it too.
USER_AGENT = user_agent(TUBAN_CONTACT_URL)
ROBOTSTXT_OBEY = True
#: The token robots.txt groups are matched against (RFC 9309 section 2.2.1).
ROBOTSTXT_USER_AGENT = "tuban-crawler"
#: A robots.txt answering 5xx or not at all disallows everything; it is asked again this
#: many times, this many seconds apart, while the requests to that site wait.
TUBAN_ROBOTS_RETRIES = 3
TUBAN_ROBOTS_RETRY_DELAY = 60.0
CONCURRENT_REQUESTS = 8
#: One server, one budget (issue 22): the regency's sites (the portal, its offices' hosts) are
#: commonly served by one machine at Diskominfo. Each request waits in the download slot of
#: the address its host resolves to (``downloadermiddlewares.server_slot``), not of its host
#: name: the sites on one address share CONCURRENT_REQUESTS_PER_DOMAIN, DOWNLOAD_DELAY and
#: AutoThrottle's delay, and a ``Retry-After`` from any of them slows them all; from each
#: host's first request on (robots.txt's too). What Scrapy's CONCURRENT_REQUESTS_PER_IP did,
#: without it: Scrapy 2.19 deprecates that setting, its default scheduler queue refuses it,
#: and it puts a host's first requests, before its name is in the DNS cache, in a slot apart.
#: False: a slot per host name (Scrapy's own; the ports of one host share it either way).
TUBAN_SLOTS_PER_ADDRESS = True
#: Requests at a time to one server (see above). Two, as the portal alone had before: a
#: one-site crawl is as fast as it was, ten office sites on one server are ten times gentler.
CONCURRENT_REQUESTS_PER_DOMAIN = 2
#: Seconds between two requests to one server (Scrapy varies it by +-50%,
#: ``DOWNLOAD_DELAY_JITTER``; AutoThrottle only ever raises it above this).
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
#: Processes reading the entry pages (parsing, links, extraction, normalising, the date) beside
#: the crawl's thread, which only navigates (crawl/extraction.py); 0 reads them on the crawl's
#: thread (for debugging). One measures best on two cores (issue 20).
TUBAN_EXTRACT_WORKERS = 1
#: Items of one response processed at a time. The pipelines are synchronous, so more buys
#: nothing, and Scrapy's default (100) starts 100 asyncio tasks for every callback (issue 10).
CONCURRENT_ITEMS = 1
# Scrapy's scheduler with its queue on disk in every run (in a folder of the run's own beside
# the archive when there is no JOBDIR): a backfill's waiting requests don't grow its memory.
SCHEDULER = "tuban_crawler.crawl.scheduler.DiskQueueScheduler"
SCHEDULER_DISK_QUEUE = "tuban_crawler.crawl.scheduler.DiskQueue"
#: Scrapy's check that a generator callback returns no value reads the callback's source again
#: for most requests of a crawl whose queue is on disk (its cache is keyed on the bound method,
#: made anew for each request read back): 1 ms a request (issue 20). ruff's checks and the
#: tests see the callbacks instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
#: Longest pause honoured from a Retry-After header, in seconds (0: ignore the header).
TUBAN_RETRY_AFTER_MAX = 300
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
# Scrapy's consoles that can run code in the crawler: off unless asked for (-s ...=True).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy >= 2.19
LOGSTATS_INTERVAL = 30.0

# -- components --------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # robots.txt per RFC 9309 (5xx means disallow all; paths normalised) in place of Scrapy's.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "tuban_crawler.crawl.downloadermiddlewares.robots.RobotsMiddleware": 100,
    # Each request in the slot of its host's address (TUBAN_SLOTS_PER_ADDRESS), from a host's
    # first request on; after robots.txt, so that a refused request costs no lookup.
    "tuban_crawler.crawl.downloadermiddlewares.server_slot.ServerSlotMiddleware": 110,
    # Sees a 3xx before RedirectMiddleware (600) follows it: loops and long chains become failures.
    "tuban_crawler.crawl.downloadermiddlewares.redirect_loops.RedirectLoopMiddleware": 610,
    # Closest to the network, so that WARC records hold what was received (every retry,
    # robots.txt, compressed bodies as sent).
    "tuban_crawler.crawl.downloadermiddlewares.capture.WarcCaptureMiddleware": 950,
    # Slows the slot as a 429/503 arrives (signals.response_downloaded), so RetryMiddleware's
    # (550) retry waits as asked.
    "tuban_crawler.crawl.downloadermiddlewares.retry_after.RetryAfterMiddleware": 560,
}
SPIDER_MIDDLEWARES = {
    # Closest to the engine: sees requests once Scrapy's DepthMiddleware (900) set their depth.
    "tuban_crawler.crawl.spidermiddlewares.budget.FrontierBudgetMiddleware": 50,
    "tuban_crawler.crawl.spidermiddlewares.failures.RecordFailuresMiddleware": 100,
    # Sees what the spider yields first (closest to the spider): each article item.
    "tuban_crawler.crawl.spidermiddlewares.requisites.RequisitesMiddleware": 950,
}
ITEM_PIPELINES = {
    "tuban_crawler.crawl.pipelines.NormalizePipeline": 100,
    "tuban_crawler.crawl.pipelines.ValidatePipeline": 200,
    "tuban_crawler.crawl.pipelines.StorePipeline": 300,
}

EXTENSIONS = {
    # Owns the run: the archive's lock, the run's row, its report and verdict at close.
    "tuban_crawler.crawl.extensions.run_recorder.RunRecorder": 100,
    "tuban_crawler.crawl.extensions.progress.ProgressLog": 500,
    "tuban_crawler.crawl.extensions.progress.StatusLine": 510,
}
#: Seconds between progress lines of a long run (0: none).
TUBAN_PROGRESS_INTERVAL = 60.0
#: Redraw a one-line status (pages, articles, failures, elapsed, estimate) on stderr every
#: second; ``tuban-crawler crawl`` and ``demo`` switch it on when stderr is a terminal.
TUBAN_STATUS_LINE = False

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

"""``python -m tuban_crawler.portal``: serve the local test portal."""

import sys

from .cli import main

sys.exit(main())

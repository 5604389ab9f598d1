"""``python -m tuban_crawler.cli``: the ``tuban-crawler`` command."""

import sys

from tuban_crawler.cli import main

sys.exit(main())

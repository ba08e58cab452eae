"""``python -m analysis.report CORPUS [options]``: see :func:`analysis.report.cli.main`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

"""``python -m analysis`` builds the report, like ``python -m analysis.report``."""

import sys

from .report import main

if __name__ == "__main__":
    sys.exit(main())

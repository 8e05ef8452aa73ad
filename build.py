#!/usr/bin/env python3
"""Notice Board: build, check and preview the student-data-privacy notice site."""
import sys

from noticeboard.cli import main

if __name__ == "__main__":
    sys.exit(main())

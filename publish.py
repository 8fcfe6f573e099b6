"""Publish the clinic's articles: ``python publish.py [build|check|new] ...``.

A thin wrapper over ``careleaf.cli``; installed, the same command is ``careleaf``.
"""

from careleaf.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m journeywidgets``: the command line (see :mod:`journeywidgets.cli`)."""

from journeywidgets.cli import main

raise SystemExit(main())

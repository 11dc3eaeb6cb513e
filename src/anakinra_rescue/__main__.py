"""``python -m anakinra_rescue``: see :mod:`anakinra_rescue.cli`."""

from anakinra_rescue.cli import main

raise SystemExit(main())

"""`python -m tools.kata_cli ...` is the same as `./kata ...`."""

import sys

from .cli import main

sys.exit(main())

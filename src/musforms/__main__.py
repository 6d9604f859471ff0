"""``python -m musforms``: the command line."""

import sys

from musforms.cli import main

sys.exit(main())

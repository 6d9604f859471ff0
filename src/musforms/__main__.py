"""``python -m musforms``: the command line."""

import sys

from musforms._cli.main import main

sys.exit(main())

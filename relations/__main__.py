"""Entry point for `python -m relations`."""

import os
import sys

from relations.cli import main

# Guarded: export's spawned worker processes import this module again as __mp_main__.
if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)

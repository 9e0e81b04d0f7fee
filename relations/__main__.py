"""Entry point for `python -m relations`.

Imports nothing at module level: export's spawned worker processes import this module again (as
__mp_main__), and each would otherwise load pandas and the whole CLI before rendering a thing."""

import os
import sys


def run() -> int:
    if sys.argv[1:2] == ["export"]:
        from relations.export_replay import replay_export  # a repeated export, from the cache

        code = replay_export(sys.argv[2:])
        if code is not None:
            return code
    from relations.cli import main

    return main()


if __name__ == "__main__":
    try:
        sys.exit(run())
    except BrokenPipeError:  # `... | head` closed the pipe: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)

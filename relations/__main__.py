"""Entry point for `python -m relations`.

Imports nothing at module level: a repeated export is answered from the cache without pandas or the
CLI, and a new one starts its render threads (Vega) before it imports them."""

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

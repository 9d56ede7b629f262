"""Theo dõi & Báo cáo CCHC: no arguments opens the window; a subcommand runs the CLI."""

from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # the usual start (Start menu, desktop): straight to the window, without the CLI's imports
        # No cyclic garbage collection until the window is filled (gui.app.startup_done): its passes over
        # the objects the imports keep for good cost 15-20 % of the start-up (bench/package_check.py) and
        # free next to nothing.
        gc.disable()
        from gui.app import run_gui

        return run_gui()
    from cli import build_parser, run

    parser = build_parser()
    args, _ = parser.parse_known_args(argv)
    if getattr(args, "selftest", False):
        from core.app.selftest import run_selftest

        return run_selftest()
    if getattr(args, "gui_command", False):  # parsed by cli, run by the GUI package (cli never imports Qt)
        from gui.snapshots import snapshot_command

        return run(argv, parser, snapshot_command)
    if getattr(args, "command", None):
        return run(argv, parser)
    parser.parse_args(argv)  # reject unknown options with the usual message
    gc.disable()  # as above, until the window is filled
    from gui.app import run_gui

    return run_gui(db=getattr(args, "db", None), demo=bool(getattr(args, "demo", False)))


if __name__ == "__main__":
    sys.exit(main())

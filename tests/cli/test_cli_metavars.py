"""Issue 15: the command line's help names values in Vietnamese (no argparse "TITLE", "STATUS", "PERCENT")."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from cli import build_parser

REPO = Path(__file__).resolve().parents[2]


def _parsers(parser: argparse.ArgumentParser, name: str = "main.py"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, child in action.choices.items():
                yield from _parsers(child, f"{name} {sub}")


def test_no_help_shows_an_english_placeholder_made_from_an_option_name():
    for name, parser in _parsers(build_parser()):
        text = parser.format_help()
        english = {a.dest.upper() for a in parser._actions  # actions that take a value show a placeholder
                   if a.nargs != 0 and a.dest not in ("help", argparse.SUPPRESS)
                   and not isinstance(a, argparse._SubParsersAction)}
        shown = set(re.findall(r"--[a-z0-9-]+[ =]\[?([A-Z][A-Z_0-9]*)\b", text))  # "--title TITLE"
        shown |= set(re.findall(r"^  ([A-Z][A-Z_0-9]+)\b", text, re.M))  # a positional's own line
        assert not (english & shown), (name, english & shown)
        assert "usage:" not in text and "options:" not in text and "PATH" not in text, name


def test_progress_help_reads_in_vietnamese():
    out = subprocess.run([sys.executable, str(REPO / "main.py"), "progress", "--help"], cwd=REPO,
                         capture_output=True, text=True, timeout=60).stdout
    assert "--status TRẠNG_THÁI" in out and "--percent TỈ_LỆ" in out and "--db TỆP|URL" in out
    assert "PERCENT" not in out and "STATUS" not in out

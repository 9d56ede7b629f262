"""The command-line interface: ``python main.py SUBCOMMAND …``.

Each module in this package registers its subcommands; they all drive ``core``
exactly as the GUI does. Exit codes: 0 done, 1 refused (bad input, rule broken, not
allowed, changed by someone else meanwhile), 2 usage error, 3 database busy or unusable,
4 unexpected error (a defect: its details are in the crash log, ``core.app.crash_log``).

Refusals are printed in one place, ``run``: every ``core.errors.Refused`` (and the database's
own errors) as its Vietnamese sentence; anything else is logged with its traceback and the user
reads a short Vietnamese message, never a traceback or a Python class name.

``--db`` is a file or a server URL (``postgresql+psycopg://nva@may-chu/cchc``); without it, the
database remembered by ``connect`` or the default file. ``--user`` logs in to a database that has
users (``core.org.auth``); its password comes from ``CCHC_PASSWORD`` or is asked for.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.appdata import APP_TITLE, APP_VERSION
from core.errors import Refused

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_DB, EXIT_INTERNAL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130


class CommandError(Refused):
    """A refusal the command line itself makes (a missing option, a file not found), with a Vietnamese
    message, an exit code and, for ``--json``, a payload. Core's refusals are not re-wrapped in it:
    they reach ``_run_handler`` as they are."""

    def __init__(self, message: str, code: int = EXIT_REFUSED, payload: dict | None = None) -> None:
        super().__init__(message)
        self.code = self.exit_code = code
        self._payload = payload or {}


@contextmanager
def refusal_payload(**fields: Any) -> Iterator[None]:
    """Add ``fields`` to the ``--json`` payload of a refusal raised in the block (what the command
    knows about its context, e.g. ``stored=False``); the refusal goes on as it is."""
    try:
        yield
    except Refused as exc:
        exc.payload.update(fields)
        raise


# The placeholder shown for an option's value when it names none: Vietnamese, never argparse's English
# upper-cased destination ("TITLE", "STATUS", "PERCENT").
METAVARS = {
    "title": "TIÊU_ĐỀ", "status": "TRẠNG_THÁI", "percent": "TỈ_LỆ", "number": "SỐ_KÝ_HIỆU", "year": "NĂM",
    "area": "LĨNH_VỰC", "level": "CẤP", "result": "KẾT_QUẢ", "difficulties": "KHÓ_KHĂN", "today": "NGÀY",
    "completed_on": "NGÀY", "evidence_date": "NGÀY", "evidence_file": "TỆP", "evidence_number": "SỐ_KÝ_HIỆU",
    "evidence_summary": "TRÍCH_YẾU", "file": "TỆP", "files": "TỆP", "code": "MÃ", "unit": "MÃ_ĐƠN_VỊ",
    "period": "KỲ", "out": "THƯ_MỤC", "name": "TÊN", "parent": "MÃ_CHA", "task": "MÃ_NHIỆM_VỤ",
}


class VietnameseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse signature
        return super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, "GIÁ_TRỊ")

    def _get_default_metavar_for_positional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, action.dest)


class VietnameseArgumentParser(argparse.ArgumentParser):
    """argparse with its own words in Vietnamese (help option, section titles, errors)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", VietnameseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._optionals.title = "tùy chọn"
        self._positionals.title = "tham số"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="hiện trợ giúp này rồi thoát")

    def error(self, message: str):  # noqa: ANN201 - argparse signature
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi: {vietnamese_usage_error(message)}\n")


# argparse's own messages, in Vietnamese: "invalid int value" must not show a Python type name.
_USAGE_ERRORS = [
    (re.compile(r"^the following arguments are required: (.+)$"), "thiếu tham số bắt buộc: {0}"),
    (re.compile(r"^one of the arguments (.+) is required$"), "cần một trong các tham số: {0}"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "tham số không nhận ra: {0}"),
    (re.compile(r"^argument (\S+): invalid \S+ value: (.+)$"), "giá trị {1} của {0} không hợp lệ"),
    (re.compile(r"^argument (\S+): invalid choice: (\S+) \(choose from (.+)\)$"),
     "giá trị {1} của {0} không hợp lệ (chọn một trong: {2})"),
    (re.compile(r"^argument (\S+): expected one argument$"), "{0} cần một giá trị"),
    (re.compile(r"^argument (\S+): expected at least one argument$"), "{0} cần ít nhất một giá trị"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), "{0} không dùng cùng với {1}"),
    (re.compile(r"^ambiguous option: (\S+) could match (.+)$"), "tùy chọn {0} không rõ, có thể là: {1}"),
    (re.compile(r"^argument (\S+): ignored explicit argument (.+)$"), "{0} không nhận giá trị {1}"),
    (re.compile(r"^argument (\S+): (.+)$"), "{0}: {1}"),  # an ArgumentTypeError's own (Vietnamese) message
]


def vietnamese_usage_error(message: str) -> str:
    for pattern, text in _USAGE_ERRORS:
        m = pattern.match(message)
        if m:
            return text.format(*m.groups())
    return message


def common_options() -> argparse.ArgumentParser:
    """``--db`` and ``--json`` accepted before or after the subcommand."""
    p = VietnameseArgumentParser(add_help=False)
    p._optionals.title = "tùy chọn chung"
    p.add_argument("--db", metavar="TỆP|URL", default=argparse.SUPPRESS,
                   help="tệp cơ sở dữ liệu, hoặc máy chủ PostgreSQL dạng postgresql+psycopg://tên@máy/csdl "
                        "(mặc định: cơ sở dữ liệu đã chọn bằng lệnh connect, hay tệp trong thư mục dữ liệu)")
    p.add_argument("--user", metavar="TÊN", default=argparse.SUPPRESS,
                   help="đăng nhập (cơ sở dữ liệu dùng chung); mật khẩu lấy từ biến môi trường CCHC_PASSWORD "
                        "hoặc được hỏi")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="in kết quả dạng JSON cho máy đọc")
    return p


def build_parser() -> argparse.ArgumentParser:
    from cli import (
        consolidation_commands,
        db_commands,
        export_commands,
        gui_commands,
        index_commands,
        plan_commands,
        return_commands,
        server_commands,
        target_commands,
        unit_commands,
    )

    common = common_options()
    parser = VietnameseArgumentParser(
        prog="main.py",
        description=f"{APP_TITLE} {APP_VERSION}. Không có lệnh con: mở giao diện đồ họa.",
        epilog="Mã kỳ báo cáo: 2022-Q1…2022-Q4, 2022-H1 (6 tháng đầu năm), 2022-9M, 2022-Y.",
        parents=[common],
    )
    parser.add_argument("--demo", action="store_true", help="nạp dữ liệu minh họa (nếu chưa có) rồi mở giao diện")
    parser.add_argument("--selftest", action="store_true", help="tự kiểm tra chương trình, không mở cửa sổ")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh",
                                parser_class=VietnameseArgumentParser)
    for module in (db_commands, unit_commands, plan_commands, return_commands, export_commands,
                   consolidation_commands, server_commands, index_commands, target_commands, gui_commands):
        module.register(sub, common)
    return parser


def db_path_of(args: argparse.Namespace) -> str:
    """The database of this command: ``--db``, else the one ``connect`` remembered, else the default file."""
    from core.app.connection import current_target

    return current_target(getattr(args, "db", None))


def ask_console(question: str) -> str | None:
    """A password from the console (not echoed), or None when nobody is there to answer."""
    import getpass

    if not sys.stdin or not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass(question)
    except (EOFError, KeyboardInterrupt):
        return None


def secret(variable: str, prompt: str, needed: str) -> str:
    """A password or PIN from the environment variable ``variable``, else asked on the console; never
    an argument on the command line, never stored. Without either, refused: "Cần {needed}: …"."""
    value = os.environ.get(variable)
    if value is None:
        value = ask_console(prompt)
    if value is None:
        raise CommandError(f"Cần {needed}: đặt biến môi trường {variable} hoặc chạy lệnh trong cửa sổ dòng lệnh "
                           "để nhập.")
    return value


def login_password(username: str) -> str:
    return secret("CCHC_PASSWORD", f"Mật khẩu của {username}: ", f"mật khẩu của “{username}”")


def _identity(target: str | Path) -> str:
    """One spelling per database: a file's resolved path, a URL without its password."""
    from db.engine import display_target, is_url, sqlite_url_path

    path = sqlite_url_path(target) or (None if is_url(target) else Path(target))
    return str(path.expanduser().resolve()) if path is not None else display_target(target)


def _login_hook(args: argparse.Namespace) -> Callable:
    """Log in on every database this command opens with ``--db`` (or the remembered one)."""
    from core.org import auth

    main_target = _identity(db_path_of(args))
    username = getattr(args, "user", None)
    cache: dict[str, str] = {}

    def hook(db) -> None:  # noqa: ANN001 - db.engine.Database
        if _identity(db.target) != main_target:
            return  # another database (migrate-db logs in to each side itself)
        if username:
            if "password" not in cache:
                cache["password"] = login_password(username)
            auth.login(db, username, cache["password"])
        elif auth.login_required(db) and auth.server_login(db) is None:
            raise auth.LoginError(
                "Cơ sở dữ liệu dùng chung này yêu cầu đăng nhập: thêm --user TÊN (mật khẩu lấy từ biến "
                "môi trường CCHC_PASSWORD hoặc được hỏi).")

    return hook


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    """Print the result: JSON with ``--json``, else the Vietnamese text."""
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
    else:
        print(text)


def _utf8_console() -> None:
    # A Windows console defaults to a code page that cannot print Vietnamese.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


def run(argv: Sequence[str], parser: argparse.ArgumentParser | None = None,
        handler: Callable[[argparse.Namespace], int] | None = None) -> int:
    """Parse and run a command; ``handler`` is given by main.py for the commands that drive the window."""
    _utf8_console()
    parser = parser or build_parser()
    args = normalized_arguments(parser.parse_args(list(argv)))
    handler = handler or getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    from core.app.crash_log import logging_to_file

    with logging_to_file():
        return _run_handler(args, handler)


# Arguments that name a file or a server as text (the others that name files are parsed as ``Path``).
_PATH_ARGUMENTS = frozenset({"db", "package", "source", "target"})


def normalized_arguments(args: argparse.Namespace) -> argparse.Namespace:
    """Text typed on the command line comes in here: every text argument in NFC (a console may hand over
    decomposed letters), so core compares and stores it as it is. Paths stay as given: they name a file on
    disk, spelt as the file system spells it."""
    from core.vnformat import nfc

    for name, value in vars(args).items():
        if name in _PATH_ARGUMENTS:
            continue
        if isinstance(value, str):
            setattr(args, name, nfc(value))
        elif isinstance(value, list) and any(isinstance(v, str) for v in value):
            setattr(args, name, [nfc(v) if isinstance(v, str) else v for v in value])
    return args


def _run_handler(args: argparse.Namespace, handler: Callable[[argparse.Namespace], int]) -> int:
    from core.app.connection import is_server, with_password
    from core.app.crash_log import record_crash
    from db.engine import open_hook
    from db.errors import DatabaseError

    try:
        target = db_path_of(args)
        if is_server(target):  # a password the server wants and nothing else gives: ask for it once
            args.db = with_password(target, ask_console)
        with open_hook(_login_hook(args)):
            return handler(args)
    except (Refused, DatabaseError) as exc:  # the one place a refusal is shown (db's own are not Refused: layers)
        _fail(args, str(exc), exc.exit_code, exc.payload)
        return exc.exit_code
    except KeyboardInterrupt:
        _fail(args, "Đã dừng theo yêu cầu; phần việc chưa xong không được ghi.", EXIT_INTERRUPTED, {})
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the output went to a pipe whose reader stopped (``… | head``): nothing to say
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - a defect: logged in full, the user reads one sentence
        log_path = record_crash(exc, f"lệnh {getattr(args, 'command', '?')}")
        _fail(args, unexpected_message(log_path), EXIT_INTERNAL, {"crash_log": str(log_path)})
        return EXIT_INTERNAL


def unexpected_message(log_path: Path) -> str:
    return ("Chương trình gặp lỗi ngoài dự kiến nên chưa làm xong lệnh này; phần việc dở dang không được ghi vào "
            f"cơ sở dữ liệu. Chi tiết kỹ thuật đã được ghi vào tệp nhật ký “{log_path}”; khi cần hỗ trợ, hãy gửi "
            "tệp này cho cán bộ kỹ thuật.")


def _fail(args: argparse.Namespace, message: str, code: int, payload: dict) -> None:
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "error": message, **payload}, ensure_ascii=False, indent=1, default=str))
    else:
        print(f"Lỗi: {message}", file=sys.stderr)


def path_arg(text: str) -> Path:
    return Path(text)

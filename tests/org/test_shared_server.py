"""A shared database: users and their units, logging in, the audit naming the real user, the
command line on a server URL, and the remembered connection without its password.

Runs on both back-ends (``backend``): a SQLite file can have users too; only a server insists
on a login. The server's own users (PostgreSQL roles) need the test server (CCHC_TEST_PG_URL).
"""

from __future__ import annotations

import json
import os
import unicodedata
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text

import main
from core.app import connection
from core.forms import ensure_standard_content
from core.org import auth
from core.org.auth import AccessDeniedError, LoginError, Principal, UserError
from core.org.units import unit_tree
from core.returns.entry import apply_edits, open_return
from core.returns.workflow import audit_for_value, submit_return
from db.engine import open_database
from db.models import AppUser, AuditEntry, Return, Unit
from tests.helpers import pg_backend
from tests.helpers.returns_helpers import applicable_value_codes, seed_rows, write_csv

PASSWORD = "Mật-khẩu-2026"


def _tree(s) -> dict[str, Unit]:
    """T (tỉnh) → H (huyện cũ) → X1, X2 (xã); T → S (sở)."""
    t = Unit(code="T", name="UBND tỉnh Thử Nghiệm", level="tinh")
    h = Unit(code="H", name="UBND huyện Cũ", level="huyen", parent=t)
    units = {"T": t, "H": h, "X1": Unit(code="X1", name="UBND xã Một", level="xa", parent=h),
             "X2": Unit(code="X2", name="UBND xã Hai", level="xa", parent=h),
             "S": Unit(code="S", name="Sở Nội vụ", level="so", parent=t)}
    s.add_all(units.values())
    s.flush()
    return units


@contextmanager
def as_user(db, principal: Principal | None):  # noqa: ANN001, ANN201
    with db.session_factory(info={"principal": principal}) as s, s.begin():
        yield s


@pytest.fixture
def shared(backend):  # noqa: ANN001, ANN201
    db = open_database(backend.new_target())
    with db.transaction() as s:
        ensure_standard_content(s)
        units = _tree(s)
        admin = auth.create_user(s, "quantri", PASSWORD, role="admin", full_name="Quản trị")
        ids = {k: u.id for k, u in units.items()}
    root = Principal(admin.id, "quantri", "Quản trị", "admin", None)
    with as_user(db, root) as s:
        for name, unit, role in [("nva", "T", "editor"), ("huyen", "H", "editor"), ("xa1", "X1", "editor"),
                                 ("xem", "T", "viewer")]:
            auth.create_user(s, name, PASSWORD, unit=s.get(Unit, ids[unit]), role=role)
    yield db, ids
    db.close()


def _login(db, name: str) -> Principal:  # noqa: ANN001
    with db.transaction() as s:
        return auth.verify_login(s, name, PASSWORD)


def test_passwords_are_salted_scrypt_hashes_never_clear_text(shared) -> None:  # noqa: ANN001
    db, _ = shared
    with db.session() as s:
        hashes = dict(s.execute(select(AppUser.username, AppUser.password_hash)).all())
    assert all(h.startswith("scrypt$16384$8$1$") and PASSWORD not in h for h in hashes.values())
    assert len(set(hashes.values())) == len(hashes)  # same password, different salt per user
    assert auth.check_password(PASSWORD, hashes["nva"]) and not auth.check_password("mat-khau-2026", hashes["nva"])
    # The same words typed with combining accents (NFD) are the same password.
    assert auth.check_password(unicodedata.normalize("NFD", PASSWORD), hashes["nva"])


def test_login_checks_the_password_and_says_the_same_for_an_unknown_name(shared) -> None:  # noqa: ANN001
    db, ids = shared
    p = auth.login(db, "NVA", PASSWORD)  # names are not case-sensitive
    assert (p.username, p.role, p.unit_id) == ("nva", "editor", ids["T"]) and db.principal == p
    for name, password in [("nva", "sai mật khẩu"), ("khong-co", PASSWORD)]:
        with pytest.raises(LoginError, match="^Sai tên đăng nhập hoặc mật khẩu.$"):
            auth.login(db, name, password)
    with db.session() as s:
        assert s.scalar(select(AppUser.last_login_at).where(AppUser.username == "nva")) is not None


def test_who_may_create_users(shared, backend) -> None:  # noqa: ANN001
    db, ids = shared
    with pytest.raises(AccessDeniedError, match="Chỉ người quản trị"):
        with as_user(db, None) as s:
            auth.create_user(s, "ai-do", PASSWORD, unit=s.get(Unit, ids["T"]))
    with pytest.raises(AccessDeniedError, match="Chỉ người quản trị"):
        with as_user(db, _login(db, "nva")) as s:
            auth.create_user(s, "ai-do", PASSWORD, unit=s.get(Unit, ids["T"]))
    root = _login(db, "quantri")
    for kwargs, message in [({"unit": None, "role": "editor"}, "cần thuộc một đơn vị"),
                            ({"role": "chief"}, "Vai trò “chief” không hợp lệ"),
                            ({"password": "ngắn"}, "ít nhất 8 ký tự"),
                            ({"username": "Nguyễn Văn A"}, "chữ không dấu"),
                            ({"username": "nva"}, "Đã có người dùng “nva”")]:
        with pytest.raises(UserError, match=message), as_user(db, root) as s:
            args = {"username": "moi", "password": PASSWORD, "unit": s.get(Unit, ids["X2"]), "role": "editor"}
            args.update(kwargs)
            auth.create_user(s, args.pop("username"), args.pop("password"), **args)
    fresh = open_database(backend.new_target("trong"))
    try:
        with pytest.raises(UserError, match="Người dùng đầu tiên phải là quản trị"), fresh.transaction() as s:
            s.add(Unit(code="T", name="T", level="tinh"))
            s.flush()
            auth.create_user(s, "nva", PASSWORD, unit=s.scalar(select(Unit)))
    finally:
        fresh.close()


def test_each_user_reaches_their_unit_and_every_unit_below(shared) -> None:  # noqa: ANN001
    db, ids = shared
    expect = {"quantri": None, "nva": {"T", "H", "X1", "X2", "S"}, "huyen": {"H", "X1", "X2"}, "xa1": {"X1"}}
    for name, codes in expect.items():
        with as_user(db, _login(db, name)) as s:
            visible = auth.visible_unit_ids(s)
            assert visible == (None if codes is None else {ids[c] for c in codes}), name
            tree = [(r.code, r.depth) for r in unit_tree(s)]
        if name == "huyen":
            assert tree == [("H", 0), ("X1", 1), ("X2", 1)]  # their own unit at the top
        if name == "xa1":
            assert tree == [("X1", 0)]


def test_a_commune_user_cannot_open_or_change_the_province_return(shared) -> None:  # noqa: ANN001
    db, ids = shared
    with as_user(db, _login(db, "nva")) as s:
        t_ret = open_return(s, "T", "2021-H1").id
    commune = _login(db, "xa1")
    with as_user(db, commune) as s:
        own = open_return(s, "X1", "2021-H1")
        assert apply_edits(s, own.id, [("1.1.3", "4")]).applied
    for attempt in (lambda s: open_return(s, "T", "2021-H1"),
                    lambda s: apply_edits(s, t_ret, [("1.1.3", "4")]),
                    lambda s: submit_return(s, t_ret),
                    lambda s: open_return(s, "X2", "2021-H1")):
        with pytest.raises(AccessDeniedError) as caught, as_user(db, commune) as s:
            attempt(s)
        assert str(caught.value).startswith(
            "Tài khoản “xa1” chỉ được xem và sửa dữ liệu của UBND xã Một và các đơn vị trực thuộc; không được mở")
    with db.session() as s:
        assert s.scalar(select(Return).where(Return.unit_id == ids["X2"])) is None  # nothing was created


def test_a_viewer_reads_but_changes_nothing(shared) -> None:  # noqa: ANN001
    db, _ = shared
    with as_user(db, _login(db, "nva")) as s:
        rid = open_return(s, "X1", "2021-H1").id
    viewer = _login(db, "xem")
    with as_user(db, viewer) as s:
        assert open_return(s, "X1", "2021-H1").id == rid
        with pytest.raises(AccessDeniedError, match="chỉ được xem, không được thay đổi"):
            apply_edits(s, rid, [("1.1.3", "4")])
    with pytest.raises(AccessDeniedError, match="chưa được lập"), as_user(db, viewer) as s:
        open_return(s, "X2", "2021-H1")


def test_every_audit_entry_names_the_logged_in_user(shared, monkeypatch) -> None:  # noqa: ANN001
    db, _ = shared
    monkeypatch.setenv("CCHC_USER", "tai-khoan-may")  # the OS login must not appear
    with as_user(db, _login(db, "huyen")) as s:
        ret = open_return(s, "H", "2021-H1")
        assert apply_edits(s, ret.id, [(c, v, n or None) for c, v, n in seed_rows()
                                       if c in applicable_value_codes("huyen")], user="gia-mao").applied
        submit_return(s, ret.id, user="gia-mao")
        rid = ret.id
    with db.session() as s:
        users = set(s.scalars(select(AuditEntry.user).where(AuditEntry.return_id == rid)))
        assert users == {"huyen"}
        assert s.get(Return, rid).submitted_by == "huyen"
        assert audit_for_value(s, rid, "1.1.3")[-1].user == "huyen"


# --------------------------------------------------------------------------- command line


def cli(capsys, *args: str) -> tuple[int, dict]:  # noqa: ANN001
    rc = main.main([*args, "--json"])
    out, err = capsys.readouterr()
    return rc, json.loads(out or err)


def test_command_line_users_login_and_scope(backend, tmp_path, capsys, monkeypatch) -> None:  # noqa: ANN001
    target = backend.new_target()
    db = open_database(target)
    with db.transaction() as s:
        ensure_standard_content(s)
        _tree(s)
    db.close()
    monkeypatch.setenv("CCHC_NEW_PASSWORD", PASSWORD)
    assert cli(capsys, "--db", target, "users", "add", "quantri", "--unit", "T")[1]["error"].startswith(
        "Người dùng đầu tiên phải là quản trị")
    rc, out = cli(capsys, "--db", target, "users", "add", "quantri", "--role", "admin")
    assert rc == 0 and out["user"] == {"username": "quantri", "role": "admin", "unit": None, "server_login": False}
    rc, out = cli(capsys, "--db", target, "users", "add", "xa1", "--unit", "X1")
    refusal = "Chỉ người quản trị đã đăng nhập" if backend.is_sqlite else "yêu cầu đăng nhập: thêm --user TÊN"
    assert rc == 1 and refusal in out["error"]
    monkeypatch.setenv("CCHC_PASSWORD", "sai")
    rc, out = cli(capsys, "--db", target, "--user", "quantri", "users", "add", "xa1", "--unit", "X1")
    assert rc == 1 and out["error"] == "Sai tên đăng nhập hoặc mật khẩu."
    monkeypatch.setenv("CCHC_PASSWORD", PASSWORD)
    assert cli(capsys, "--db", target, "--user", "quantri", "users", "add", "xa1", "--unit", "X1")[0] == 0
    rc, out = cli(capsys, "--db", target, "--user", "quantri", "users", "list")
    assert [(u["username"], u["unit"]) for u in out["users"]] == [("quantri", None), ("xa1", "X1")]

    values = write_csv(tmp_path / "so_lieu.csv", [("1.1.3", "7", "")])
    rc, out = cli(capsys, "--db", target, "--user", "xa1", "set-values", "--unit", "T", "--period", "2021-H1",
                  "--from", str(values))
    assert rc == 1 and "không được mở dữ liệu của UBND tỉnh Thử Nghiệm" in out["error"]
    rc, out = cli(capsys, "--db", target, "--user", "xa1", "set-values", "--unit", "X1", "--period", "2021-H1",
                  "--from", str(values))
    assert rc == 0, out
    rc, out = cli(capsys, "--db", target, "--user", "xa1", "units", "list")
    assert [u["code"] for u in out["units"]] == ["X1"]
    rc, out = cli(capsys, "--db", target, "--user", "xa1", "log", "--unit", "X1", "--period", "2021-H1")
    assert {e["user"] for e in out["entries"]} == {"xa1"}

    # Nobody works on a shared server without logging in; a file stays single-user and open.
    rc, out = cli(capsys, "--db", target, "units", "list")
    if backend.is_sqlite:
        assert rc == 0 and len(out["units"]) == 5
    else:
        assert rc == 1 and "Cơ sở dữ liệu dùng chung này yêu cầu đăng nhập: thêm --user TÊN" in out["error"]


def test_connect_remembers_the_database_without_its_password(pg_url, capsys) -> None:  # noqa: ANN001
    from sqlalchemy.engine import make_url

    with_secret = make_url(pg_url).set(password="bí-mật-tuyệt-đối").render_as_string(hide_password=False)
    rc, out = cli(capsys, "connect", with_secret)
    assert rc == 0 and out["kind"] == "PostgreSQL (máy chủ dùng chung)", out
    stored = connection.settings_path().read_text(encoding="utf-8")
    assert "bí-mật" not in stored and "tuyệt" not in stored and "***" not in stored
    assert json.loads(stored)["database"] == make_url(pg_url).render_as_string(hide_password=False)
    assert cli(capsys, "connect")[1]["database"] == make_url(pg_url).render_as_string(hide_password=True)
    assert cli(capsys, "demo")[1]["db"].startswith("postgresql+psycopg://")  # no --db: the remembered server
    rc, out = cli(capsys, "units", "list")
    assert rc == 0 and out["units"][0]["code"] == "MH"
    assert cli(capsys, "connect", "--forget")[0] == 0 and connection.remembered() is None


def test_a_server_database_has_no_backup_files(pg_url, capsys) -> None:  # noqa: ANN001
    db = open_database(pg_url)
    try:
        assert db.lock is None and db.backup() is None and db.last_backup() is None and db.path is None
        assert not db.features.file_backups and not db.features.writer_lock and db.features.row_locks
    finally:
        db.close()
    for args in (["backup"], ["backups"], ["restore", "x.db"]):
        rc, out = cli(capsys, "--db", pg_url, *args)
        assert rc == 1 and "pg_dump" in out["error"] and "migrate-db" in out["error"], args


# --------------------------------------------------------------------------- the server's own users


@pytest.fixture
def pg_role(pg_url):  # noqa: ANN001, ANN201
    """A PostgreSQL role with a password, allowed into the test database; dropped afterwards."""
    from sqlalchemy.engine import make_url

    name = f"nvb_{os.getpid()}"
    dbname = make_url(pg_url).database
    with pg_backend.admin().connect() as c:
        c.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD}'"))
    grant = open_database(pg_url)
    with grant.engine.begin() as c:
        c.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {name}"))
        c.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {name}"))
    grant.close()
    role_url = make_url(pg_url).set(username=name).render_as_string(hide_password=False)
    yield name, role_url
    with pg_backend.admin().connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        c.execute(text(f"DROP ROLE IF EXISTS {name}"))


def _server_checks_passwords(role_url: str) -> bool:
    from db.errors import ServerUnavailableError

    try:
        open_database(role_url, write=False).close()
    except ServerUnavailableError as exc:
        return exc.needs_password
    return False


def test_the_servers_own_users_and_the_password_prompt(pg_url, pg_role, tmp_path, capsys,  # noqa: ANN001
                                                       monkeypatch) -> None:
    from sqlalchemy.engine import make_url

    name, role_url = pg_role
    if not _server_checks_passwords(role_url):
        pytest.skip("the test server lets this role in without a password (.ci/pg_test_server asks for one)")
    db = open_database(pg_url)
    with db.transaction() as s:
        ensure_standard_content(s)
        _tree(s)
        admin = auth.create_user(s, "quantri", PASSWORD, role="admin")
    with as_user(db, Principal(admin.id, "quantri", None, "admin", None)) as s:
        auth.create_user(s, name, "", unit=s.scalar(select(Unit).where(Unit.code == "X1")), server_login=True)
    db.close()

    # The password is asked for (a console or a dialog), kept in memory, never in the settings.
    asked: list[str] = []
    answers = iter(["sai", PASSWORD])
    ready = connection.with_password(role_url, lambda q: asked.append(q) or next(answers))
    assert len(asked) == 2 and asked[0].startswith(f"Mật khẩu máy chủ PostgreSQL cho {name}@127.0.0.1")
    assert make_url(ready).password == PASSWORD and make_url(connection.remember(ready)).password is None
    assert "2026" not in connection.settings_path().read_text(encoding="utf-8")

    # Connected as that role, the application logs the person in by the server's own check.
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    rc, out = cli(capsys, "--db", role_url, "units", "list")
    assert rc == 0 and [u["code"] for u in out["units"]] == ["X1"], out
    rc, out = cli(capsys, "--db", role_url, "set-values", "--unit", "X1", "--period", "2021-H1", "--from",
                  str(write_csv(tmp_path / "so_lieu.csv", [("1.1.3", "5", "")])))
    assert rc == 0, out
    rc, out = cli(capsys, "--db", role_url, "log", "--unit", "X1", "--period", "2021-H1")
    assert {e["user"] for e in out["entries"]} == {name}
    # Such a user has no password in app_user: a password login is refused.
    monkeypatch.setenv("CCHC_PASSWORD", PASSWORD)
    assert cli(capsys, "--db", pg_url, "--user", name, "units", "list")[1]["error"] == \
        "Sai tên đăng nhập hoặc mật khẩu."



SCAN = "%PDF-1.4 bản quét ".encode() * 1000


def test_attachments_on_a_server_are_in_the_database_for_every_user(pg_url, tmp_path) -> None:  # noqa: ANN001
    from core.app.demo import load_demo
    from core.periods import ensure_period
    from core.plans.evidence import add_evidence, evidence_file, remove_evidence
    from db.models import Evidence, EvidenceContent, Task

    scan = tmp_path / "Quyết định số 766.pdf"
    scan.write_bytes(SCAN)
    first = open_database(pg_url)
    with first.transaction() as s:
        load_demo(s)
        task = s.scalar(select(Task).order_by(Task.id).limit(1))
        period = ensure_period(s, "2021-H1")
        ev = add_evidence(s, task.id, period.id, document_number="766/QĐ-UBND", file=scan, db_path=first.path)
        again = add_evidence(s, task.id, period.id, file=scan, db_path=None)  # the same bytes are stored once
        ids = (ev.id, again.id)
    first.close()
    scan.unlink()  # the original is gone from this PC

    other_pc = open_database(pg_url)  # another user, another engine
    try:
        with other_pc.transaction() as s:
            ev = s.get(Evidence, ids[0])
            assert ev.stored_path.startswith("db:") and ev.file_name == "Quyết định số 766.pdf"
            opened = evidence_file(ev, other_pc.path)
            assert opened.name == "Quyết định số 766.pdf" and opened.read_bytes() == SCAN
            assert s.scalar(select(func.count()).select_from(EvidenceContent)) == 1
            remove_evidence(s, ids[1])
        with other_pc.transaction() as s:
            remove_evidence(s, ids[0])
        with other_pc.session() as s:  # removing the evidence keeps the file's content, as with a file
            kept = s.scalar(select(EvidenceContent))
            assert kept.evidence_id is None and kept.content == SCAN
    finally:
        other_pc.close()



def test_the_window_asks_for_a_login_on_a_shared_server(pg_url, qtbot, monkeypatch) -> None:  # noqa: ANN001
    import gui.app
    import gui.refusals
    from core.app.demo import load_demo

    db = open_database(pg_url)
    with db.transaction() as s:
        load_demo(s)
        auth.create_user(s, "quantri", PASSWORD, role="admin")
    db.close()
    answers = iter([("quantri", True), ("sai", True), ("quantri", True), (PASSWORD, True)])
    monkeypatch.setattr(gui.app.QInputDialog, "getText", lambda *a, **k: next(answers))
    warned: list[str] = []
    monkeypatch.setattr(gui.refusals.QMessageBox, "warning", lambda _p, _t, message: warned.append(message))
    opened = gui.app.open_for_gui(pg_url, False, interactive=True)
    try:
        assert opened.principal.username == "quantri"
        assert warned == ["Sai tên đăng nhập hoặc mật khẩu."]
    finally:
        opened.close()

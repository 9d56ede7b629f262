"""Several people on one database at once, on SQLite and on a real PostgreSQL server.

- Two users edit the same value: exactly one wins; the other gets a clear Vietnamese message
  naming the value and who changed it, nothing of their batch is stored, and their input comes
  back in the error so it can be applied again after reloading: nothing is lost.
- Two transactions that really overlap (threads, two connections): the second waits for the
  first's lock, then sees its value and is refused instead of overwriting it.
- Submitting while someone saves a value: one order or the other, never a value slipped into a
  return after it was validated and locked.
- Consolidation while a child submits: the consolidating read sees the child's return either
  wholly before or wholly after the submit.

On PostgreSQL each user has an engine of their own (as two PCs would); on SQLite, one process
owns the file (the single-writer lock) and the two users are two connections of it.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.forms import ensure_standard_content
from core.org.auth import Principal, create_user, verify_login
from core.returns.entry import apply_edits, grid_rows, open_return
from core.returns.store import ConcurrentEditError, ReturnLockedError, values_by_code
from core.returns.workflow import audit_for_value, submit_return
from db.dialect import begin_consistent_read
from db.engine import open_database
from db.models import Return, Unit
from tests.helpers.returns_helpers import applicable_value_codes, seed_rows

PASSWORD = "mật khẩu đủ dài"


class Client:
    """One person at one PC: their own engine on a server, a connection of the one process on SQLite."""

    def __init__(self, db, principal: Principal) -> None:  # noqa: ANN001
        self.db = db
        self.principal = principal

    @contextmanager
    def transaction(self):  # noqa: ANN201
        with self.db.session_factory(info={"principal": self.principal}) as s, s.begin():
            yield s

    def seen(self, return_id: int) -> dict[str, int]:
        """The versions of the values on this person's screen."""
        with self.transaction() as s:
            return {r.code: r.version for r in grid_rows(s, return_id) if r.kind == "value"}

    def values(self, return_id: int) -> dict[str, float | None]:
        with self.transaction() as s:
            return {c: v.value_num for c, v in values_by_code(s, s.get(Return, return_id)).items()}


@pytest.fixture
def shared(backend):  # noqa: ANN001, ANN201
    """A database with a province T and a commune X1, three users, and T's and X1's 2021-H1 returns
    filled with the seed report's values. Yields (return id of T, return id of X1, client maker)."""
    target = backend.new_target()
    setup = open_database(target)
    with setup.transaction() as s:
        ensure_standard_content(s)
        t = Unit(code="T", name="UBND tỉnh Thử Nghiệm", level="tinh")
        s.add(t)
        s.add(Unit(code="X1", name="UBND xã Một", level="xa", parent=t))
        s.flush()
        admin = create_user(s, "quantri", PASSWORD, role="admin")
    with setup.session_factory(info={"principal": Principal(admin.id, "quantri", None, "admin", None)}) as s, \
            s.begin():
        t, x1 = (s.scalar(select(Unit).where(Unit.code == c)) for c in ("T", "X1"))
        create_user(s, "nva", PASSWORD, unit=t, full_name="Nguyễn Văn A")
        create_user(s, "ttb", PASSWORD, unit=t, full_name="Trần Thị B")
        create_user(s, "xa1", PASSWORD, unit=x1)
        ids = []
        for code, level in (("T", "tinh"), ("X1", "xa")):
            ret = open_return(s, code, "2021-H1")
            rows = [(c, v, n or None) for c, v, n in seed_rows() if c in applicable_value_codes(level)]
            assert apply_edits(s, ret.id, rows).applied
            ids.append(ret.id)
    opened = [setup]

    def client(username: str) -> Client:
        db = setup if backend.is_sqlite else open_database(target)  # a server: another PC
        if db is not setup:
            opened.append(db)
        with db.transaction() as s:
            principal = verify_login(s, username, PASSWORD)
        return Client(db, principal)

    yield ids[0], ids[1], client
    for db in opened:
        db.close()


def _wait_until_blocked(client: Client, started: threading.Event) -> None:
    """Until the other thread waits for this transaction's lock.

    On the server that is observed: a session of the same database waiting on a lock (it must
    happen, since this transaction holds the return's row lock). On SQLite the driver waits
    inside sqlite3 (busy timeout), so the other thread is given a moment; were it not blocked
    yet, it would simply run after the commit, and the outcome asserted is the same.
    """
    started.wait()
    if client.db.features.embedded:
        time.sleep(0.3)
        return
    with client.db.engine.connect() as c:
        for _ in range(6000):  # a bound only so that a broken lock cannot hang the run
            if c.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                              "AND wait_event_type = 'Lock'")).scalar():
                return
            time.sleep(0.01)
    raise AssertionError("the other user never waited for the lock held by this transaction")


def test_two_users_edit_one_value_exactly_one_wins_and_nothing_is_lost(shared) -> None:  # noqa: ANN001
    rid, _, client = shared
    a, b = client("nva"), client("ttb")
    seen_a, seen_b = a.seen(rid), b.seen(rid)  # both screens show 1.1.2 as it is now
    before = a.values(rid)

    with a.transaction() as s:
        assert apply_edits(s, rid, [("1.1.2", "10")], seen_versions=seen_a).applied
    with pytest.raises(ConcurrentEditError) as caught, b.transaction() as s:
        apply_edits(s, rid, [("1.1.2", "9"), ("1.1.3", "21", "Thêm văn bản")], seen_versions=seen_b)

    err = caught.value
    message = str(err)
    assert message.startswith("Giá trị chỉ tiêu 1.1.2 vừa được người khác sửa (nva sửa lúc ")
    assert "giá trị hiện tại: 10); hãy tải lại để xem giá trị mới." in message
    assert [(c.code, c.mine, c.theirs, c.by) for c in err.cells] == [("1.1.2", "9", "10", "nva")]
    assert err.edits == [("1.1.2", "9"), ("1.1.3", "21", "Thêm văn bản")]  # B's whole input, kept

    after = b.values(rid)
    assert after["1.1.2"] == 10  # the winner's value
    assert after["1.1.3"] == before["1.1.3"]  # nothing of the loser's batch was stored
    with a.transaction() as s:
        history = audit_for_value(s, rid, "1.1.2")
    assert [(h.user, h.new) for h in history][-1] == ("nva", "10")
    assert [h.user for h in history].count("ttb") == 0

    # B reloads, sees A's value, and applies the kept input again: nothing is lost.
    with b.transaction() as s:
        result = apply_edits(s, rid, err.edits, seen_versions=b.seen(rid))
    assert result.applied and [c.code for c in result.changes] == ["1.1.2", "1.1.3"]
    assert b.values(rid)["1.1.2"] == 9
    with a.transaction() as s:
        assert [(h.user, h.new) for h in audit_for_value(s, rid, "1.1.2")][-2:] == [("nva", "10"), ("ttb", "9")]
        assert audit_for_value(s, rid, "1.1.2")[-1].old == "10"


def test_overlapping_transactions_the_second_waits_then_is_refused(shared) -> None:  # noqa: ANN001
    rid, _, client = shared
    a, b = client("nva"), client("ttb")
    seen_a, seen_b = a.seen(rid), b.seen(rid)
    a_wrote, b_started = threading.Event(), threading.Event()

    def user_a() -> None:
        with a.transaction() as s:
            assert apply_edits(s, rid, [("1.1.3", "30")], seen_versions=seen_a).applied
            a_wrote.set()
            _wait_until_blocked(a, b_started)  # B is now waiting for A's lock; A commits

    def user_b() -> None:
        a_wrote.wait()
        b_started.set()
        with b.transaction() as s:
            apply_edits(s, rid, [("1.1.3", "31")], seen_versions=seen_b)

    with ThreadPoolExecutor(2) as pool:
        fa, fb = pool.submit(user_a), pool.submit(user_b)
        fa.result()
        with pytest.raises(ConcurrentEditError, match="1.1.3 vừa được người khác sửa"):
            fb.result()
    assert a.values(rid)["1.1.3"] == 30


def test_blind_writes_are_serialised_not_lost(shared) -> None:  # noqa: ANN001
    """Without versions (a file of values, ``set-values``): both batches are stored, one after the
    other, each with its own audit entry; no write is silently dropped."""
    rid, _, client = shared
    a, b = client("nva"), client("ttb")
    barrier = threading.Barrier(2)

    def write(c: Client, code: str, value: str) -> None:
        barrier.wait()
        with c.transaction() as s:
            assert apply_edits(s, rid, [(code, value)]).applied

    with ThreadPoolExecutor(2) as pool:
        for f in [pool.submit(write, a, "1.1.3", "40"), pool.submit(write, b, "2.1", "18")]:
            f.result()
    values = a.values(rid)
    assert (values["1.1.3"], values["2.1"]) == (40, 18)


def test_submit_while_a_value_is_being_saved(shared) -> None:  # noqa: ANN001
    """A submits and holds its transaction; B saves a value meanwhile: B waits, then is told the
    return is now finished. What was validated and locked is exactly what is stored."""
    rid, _, client = shared
    a, b = client("nva"), client("ttb")
    submitted, b_started = threading.Event(), threading.Event()

    def user_a() -> None:
        with a.transaction() as s:
            submit_return(s, rid)
            submitted.set()
            _wait_until_blocked(a, b_started)

    def user_b() -> None:
        submitted.wait()
        b_started.set()
        with b.transaction() as s:
            apply_edits(s, rid, [("1.1.3", "50")])

    before = a.values(rid)
    with ThreadPoolExecutor(2) as pool:
        fa, fb = pool.submit(user_a), pool.submit(user_b)
        fa.result()
        with pytest.raises(ReturnLockedError, match="Đã hoàn thành"):
            fb.result()
    with a.transaction() as s:
        ret = s.get(Return, rid)
        assert ret.status == "submitted" and ret.submitted_by == "nva"
    assert a.values(rid) == before


def test_submit_refused_when_the_return_changed_since_it_was_shown(shared) -> None:  # noqa: ANN001
    rid, _, client = shared
    a, b = client("nva"), client("ttb")
    with a.transaction() as s:
        shown = s.get(Return, rid).version
    with b.transaction() as s:
        apply_edits(s, rid, [("1.1.3", "22")])
    with pytest.raises(ConcurrentEditError, match="Báo cáo vừa được người khác thay đổi kể từ khi bạn mở nó"):
        with a.transaction() as s:
            submit_return(s, rid, seen_version=shown)
    with a.transaction() as s:
        assert s.get(Return, rid).status == "draft"


# --------------------------------------------------------------------------- consolidation while a child submits


def consolidation_read(session: Session, child_return_id: int) -> tuple[str, dict[str, float | None]]:
    """CONSOLIDATION HOOK: what the consolidation takes from one child's return.

    The consolidation service is written on another branch; until it is merged this reads what it
    reads (the child's status, then its values) in the transaction it would use. After the merge,
    replace the body with a call to that service (for one child) and keep the test below as it is.
    """
    ret = session.get(Return, child_return_id)
    status = ret.status
    values = {c: v.value_num for c, v in values_by_code(session, ret).items()}
    return status, values


def test_consolidation_while_a_child_submits_sees_before_or_after_never_a_mix(shared) -> None:  # noqa: ANN001
    _, child_id, client = shared
    province, commune = client("nva"), client("xa1")
    before = commune.values(child_id)
    status_read, child_committed = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def child_submits() -> None:
        with commune.transaction() as s:
            assert apply_edits(s, child_id, [("1.1.3", "99"), ("2.1", "20")]).applied
            submit_return(s, child_id)
            status_read.wait()  # the consolidation has begun reading: commit under its feet
        child_committed.set()

    def consolidate() -> None:
        with province.db.session_factory(info={"principal": province.principal}) as s, s.begin():
            begin_consistent_read(s)  # what the consolidation service does before reading children
            ret = s.get(Return, child_id)
            seen["status_first"] = ret.status
            status_read.set()
            child_committed.wait()
            s.expire_all()  # read again from the database, not from the session
            seen["status"], seen["values"] = consolidation_read(s, child_id)

    with ThreadPoolExecutor(2) as pool:
        for f in [pool.submit(child_submits), pool.submit(consolidate)]:
            f.result()
    # One snapshot: the child's return as it was before the submit, status and values together.
    assert seen["status_first"] == seen["status"] == "draft"
    assert seen["values"] == before
    # Afterwards the consolidation sees the submitted return with its new values.
    with province.transaction() as s:
        begin_consistent_read(s)
        status, values = consolidation_read(s, child_id)
    assert status == "submitted" and (values["1.1.3"], values["2.1"]) == (99, 20)

"""Saving deadlines.toml keeps the file: its order, hand comments and formatting, and small diffs."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import replace
from pathlib import Path

from feed_fixtures import MIIT, MOST, NOW, make, sample, save

from calendar_svc import store
from calendar_svc.review import Change, apply

LATER = NOW + dt.timedelta(hours=2)


def changed_lines(before: str, after: str) -> list[int]:
    """1-based numbers of the old file's lines that were replaced or deleted, and of lines inserted before."""
    lines: list[int] = []
    matcher = difflib.SequenceMatcher(a=before.split("\n"), b=after.split("\n"), autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            lines.extend(range(i1 + 1, max(i2, i1 + 1) + 1))
    return lines


def record_lines(text: str, record_id: str) -> range:
    """The lines of the record with ``record_id``: from its ``[[deadline]]`` to the line before the next one."""
    lines = text.split("\n")
    headers = [n for n, line in enumerate(lines, 1) if line.startswith("[[deadline]]")] + [len(lines) + 1]
    for start, end in zip(headers, headers[1:]):
        if f'id = "{record_id}"' in "\n".join(lines[start - 1 : end - 1]):
            return range(start, end)
    raise AssertionError(f"no record {record_id}")


def test_confirming_one_record_changes_only_its_lines_and_a_comment_elsewhere_survives(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    text = path.read_text("utf-8")
    records = store.load(path)
    target, other = records[1], records[3]
    comment = "# 张三：这条已和科技处核对过，先别动\n"
    at = text.index(f'id = "{other.id}"')
    text = text[:at] + comment + text[at:]  # a comment inside another record
    text = text.replace("\n\n[[deadline]]", "\n\n# 以下为第二季度\n[[deadline]]", 1)  # and one between records
    path.write_text(text, "utf-8")

    apply(path, target.id, Change(status="confirmed"), who="李四", now=LATER)

    after = path.read_text("utf-8")
    assert comment in after and "# 以下为第二季度\n" in after
    changed = changed_lines(text, after)
    assert changed, "the confirmation was not written"
    assert set(changed) <= set(record_lines(text, target.id)), changed
    assert 'status = "confirmed"' in "\n".join(after.split("\n")[record_lines(after, target.id).start - 1 :][:8])
    confirmed = {d.id: d for d in store.load(path)}[target.id]
    assert confirmed.status == "confirmed" and confirmed.history[-1].endswith("李四：确认")


def test_a_hand_formatted_record_keeps_its_layout_when_it_changes(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    record = store.load(path)[0]
    text = path.read_text("utf-8")
    lines = text.split("\n")
    span = record_lines(text, record.id)
    mine = lines[span.start - 1 : span.stop - 1]
    # A person moved notes up, added an inline comment and a comment line, and wrote tags on one line.
    notes = next(line for line in mine if line.startswith("notes = "))
    mine.remove(notes)
    mine.insert(2, 'notes = "" # 待补充')
    mine.insert(3, "# 科技处负责")
    start = next(i for i, line in enumerate(mine) if line.startswith("tags = "))
    end = next(i for i in range(start, len(mine)) if mine[i].endswith("]"))
    mine[start : end + 1] = ['tags = ["工信部"]']
    hand = "\n".join(lines[: span.start - 1] + mine + lines[span.stop - 1 :])
    path.write_text(hand, "utf-8")
    before = store.load(path)[0]
    assert before.tags == ["工信部"]

    apply(path, record.id, Change(note="已提交"), who="李四", now=LATER)

    after = path.read_text("utf-8")
    assert "# 科技处负责\n" in after and "# 待补充" in after
    assert 'tags = ["工信部"]' in after
    saved = store.load(path)[0]
    assert saved.notes == "已提交" and saved.tags == ["工信部"] and saved.history[-1].endswith("李四：改备注")
    changed = changed_lines(hand, after)
    assert set(changed) <= set(record_lines(hand, record.id))
    assert len(changed) <= 6, changed  # notes, updated, history: not the whole record


def test_the_file_keeps_its_order_and_a_new_record_goes_in_by_date(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample()[:3])
    first, second, third = store.load(path)  # soonest first, as a new file is written
    text = path.read_text("utf-8")
    # A person moved the last record to the top.
    at = text.index("[[deadline]]")
    prelude, bodies = text[:at], [b.rstrip("\n") for b in text[at:].split("[[deadline]]")[1:]]
    hand = prelude + "\n\n".join("[[deadline]]" + bodies[n] for n in (2, 0, 1)) + "\n"
    path.write_text(hand, "utf-8")
    assert [d.id for d in store.load(path)] == [third.id, first.id, second.id]

    late = make(MIIT, "deadline", who="各单位", what="报送总结", end=dt.date(2026, 12, 30), quote="12月30日前报送总结。", line=90)
    between = make(MIIT, "deadline", who="各单位", what="报送进度", end=first.due.date(), quote="报送进度。", line=91)
    soonest = make(MIIT, "deadline", who="各单位", what="报送计划", end=dt.date(2026, 1, 2), quote="1月2日前报送计划。", line=92)
    store.save(path, [*store.load(path), late, between, soonest])

    assert [d.id for d in store.load(path)] == [soonest.id, third.id, first.id, between.id, second.id, late.id]
    for record in (third, first, second):  # the old records' text is untouched
        assert f'id = "{record.id}"' in path.read_text("utf-8")
    assert store.load(path)[1:3] == [third, first]


def test_a_file_that_cannot_be_cut_into_records_is_written_afresh_and_reads_back(tmp_path: Path) -> None:
    record = make(MOST, "deadline", who="申报单位", what="提交材料", end=dt.date(2026, 5, 1), quote="5月1日前提交材料。", line=3)
    path = save(tmp_path / "deadlines.toml", [record])
    text = path.read_text("utf-8").replace('notes = ""', 'notes = """\n[[deadline]]\n"""')  # a header inside a string
    path.write_text(text, "utf-8")
    (loaded,) = store.load(path)
    assert loaded.notes == "[[deadline]]\n"

    store.save(path, [replace(loaded, tags=["科研"])])

    (saved,) = store.load(path)
    assert saved.notes == "[[deadline]]\n" and saved.tags == ["科研"]


def test_saving_what_was_loaded_changes_nothing(tmp_path: Path) -> None:
    path = save(tmp_path / "deadlines.toml", sample())
    hand = path.read_text("utf-8").replace("\n\n[[deadline]]", "\n\n\n# 手写的分隔\n[[deadline]]")
    path.write_text(hand, "utf-8")
    store.save(path, store.load(path))
    assert path.read_text("utf-8") == hand


def test_a_reextraction_that_moves_a_date_touches_only_that_record(tmp_path: Path) -> None:
    records = sample()
    path = save(tmp_path / "deadlines.toml", records)
    before = path.read_text("utf-8")
    moved = next(d for d in records if d.all_day and d.start is None)
    fresh = [replace(d, end=d.end + dt.timedelta(days=10)) if d.id == moved.id else d for d in records]
    merged, report = store.merge(store.load(path), fresh, now=LATER)
    assert [d.id for d in report.changed] == [moved.id]
    store.save(path, merged)
    assert set(changed_lines(before, path.read_text("utf-8"))) <= set(record_lines(before, moved.id))

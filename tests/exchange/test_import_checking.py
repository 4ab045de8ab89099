"""A big sheet is read by two processes, each checking part of the rows; the parts come back
in order, and the work is done here when the other process fails."""

import os
import time

import pytest

from yicai.exchange import checking
from yicai.exchange.engine import Column, Entity

pytestmark = pytest.mark.skipif(not checking._can_fork(), reason="needs fork")


class Numbers(Entity):
    key = "numbers-test"
    columns = (Column("name", "姓名", required=True), Column("number", "编号", required=True))

    def check(self, located, start, end, prepared):
        if prepared == "fail elsewhere" and os.getpid() != PARENT:
            raise RuntimeError("the forked reader breaks")
        if prepared == "hang elsewhere" and os.getpid() != PARENT:
            time.sleep(60)
        numbers = [cells[1] for _row, cells in located.rows[start:end]]
        return os.getpid(), start, end, numbers


PARENT = os.getpid()


@pytest.fixture
def sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(checking, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(checking, "PARALLEL_ROWS", 4)
    path = tmp_path / "numbers.csv"
    path.write_text("姓名,编号\n" + "".join(f"人{i},{i}\n" for i in range(10)), encoding="utf-8")
    return path


def test_the_rows_after_the_split_are_checked_by_another_process(sheet):
    located, parts = checking.read_and_check(Numbers(), sheet, "csv", None)
    (first_start, (first_pid, *first)), (second_start, (second_pid, *second)) = parts
    assert first_pid == os.getpid() != second_pid
    assert (first_start, first[:2], second_start, second[:2]) == (0, [0, 5], 5, [5, 10])
    assert first[2] + second[2] == [str(i) for i in range(10)]
    assert len(located.rows) == 10


def test_when_the_other_process_fails_this_one_checks_the_rest(sheet):
    _located, parts = checking.read_and_check(Numbers(), sheet, "csv", "fail elsewhere")
    assert [(start, pid) for start, (pid, *_rest) in parts] == [(0, PARENT), (5, PARENT)]
    assert parts[1][1][3] == [str(i) for i in range(5, 10)]


def test_a_small_sheet_is_checked_here_in_one_part(sheet, monkeypatch):
    monkeypatch.setattr(checking, "PARALLEL_ROWS", 100)
    _located, parts = checking.read_and_check(Numbers(), sheet, "csv", None)
    assert [(start, part[:3]) for start, part in parts] == [(0, (os.getpid(), 0, 10))]


def test_a_second_process_that_cannot_start_leaves_the_work_here(sheet, monkeypatch):
    import multiprocessing.process

    def refuse(self):
        raise OSError("no more processes")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    _located, parts = checking.read_and_check(Numbers(), sheet, "csv", None)
    assert [(start, pid) for start, (pid, *_rest) in parts] == [(0, PARENT), (5, PARENT)]


def test_a_second_process_that_hangs_is_given_up_on(sheet, monkeypatch):
    monkeypatch.setattr(checking, "PATIENCE_SECONDS", 0.5)
    _located, parts = checking.read_and_check(Numbers(), sheet, "csv", "hang elsewhere")
    assert [(start, pid) for start, (pid, *_rest) in parts] == [(0, PARENT), (5, PARENT)]

"""Fixtures shared by the binding's tests."""

import datetime as dt

import pytest

import scrm

UTC = dt.timezone.utc


def at(day, hour=0, month=6, year=2026):
    """An aware UTC datetime in June 2026 (by default), to keep tests short."""
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def engine():
    """A fresh in-memory engine with its clock at 2026-06-30T00:00Z, closed after the test."""
    with scrm.Engine() as e:
        e.set_clock(at(30))
        yield e

"""Scoring and ranking over plain numbers."""

from __future__ import annotations

from decimal import Decimal

from cchc.par.framework import Criterion, Framework
from cchc.par.scoring import Layout, losses, rank, score


def small_framework() -> Framework:
    def leaf(code: str, points: str) -> Criterion:
        return Criterion(code=code, name=code, max_points=Decimal(points))

    return Framework(
        name="thử",
        year=2025,
        level="xa",
        source=None,
        areas=[
            Criterion("I", "A", Decimal(10), children=[leaf("I.1", "6"), leaf("I.2", "4")]),
            Criterion("II", "B", Decimal(5), children=[leaf("II.1", "5")]),
        ],
    )


def test_points_add_up_per_area_and_in_total():
    layout = Layout.of(small_framework())
    result = score(layout, "x", {"I.1": 5.5, "I.2": 4, "II.1": 2.25})
    assert result.areas == {"I": 9.5, "II": 2.25}
    assert result.total == 11.75
    assert round(result.index(layout), 2) == 78.33


def test_a_leaf_without_a_value_counts_nothing():
    layout = Layout.of(small_framework())
    assert score(layout, "x", {"I.1": 6}).total == 6


def test_equal_totals_share_a_rank_and_the_next_rank_is_skipped():
    layout = Layout.of(small_framework())
    results = [
        score(layout, u, v)
        for u, v in [("a", {"I.1": 6}), ("b", {"I.1": 4}), ("c", {"I.1": 6}), ("d", {"I.1": 1})]
    ]
    assert [(place, r.unit) for place, r in rank(results)] == [
        (1, "a"),
        (1, "c"),
        (3, "b"),
        (4, "d"),
    ]


def test_losses_list_the_largest_gap_first_and_only_real_losses():
    layout = Layout.of(small_framework())
    mine = {"I.1": 2, "I.2": 4, "II.1": 5}
    best = {"I.1": 6, "I.2": 3, "II.1": 5}
    assert losses(layout, mine, best) == [("I.1", 4.0)]
    assert losses(layout, mine, layout.leaf_max) == [("I.1", 4.0)]

"""Rank fusion refuses what it cannot fuse, and says why."""

from __future__ import annotations

import pytest

from bot.domain.fusion import reciprocal_rank_fusion


def test_one_weight_per_ranking_is_required() -> None:
    with pytest.raises(ValueError, match="^one weight per ranking$"):
        reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0])


def test_a_negative_k_is_refused_and_zero_is_allowed() -> None:
    with pytest.raises(ValueError, match="^k must not be negative$"):
        reciprocal_rank_fusion([["a"]], k=-1)
    assert reciprocal_rank_fusion([["a", "b"]], k=0) == [("a", 1.0), ("b", 0.5)]

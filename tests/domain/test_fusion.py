import pytest

from bot.domain.fusion import reciprocal_rank_fusion


def test_a_key_ranked_well_by_both_lists_wins():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"]])
    assert [key for key, _ in fused][:2] in (["a", "b"], ["b", "a"])
    assert {key for key, _ in fused} == {"a", "b", "c", "d"}
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_weights_let_one_ranking_dominate():
    fused = reciprocal_rank_fusion([["dense"], ["lexical"]], weights=[2.0, 1.0])
    assert fused[0][0] == "dense"
    fused = reciprocal_rank_fusion([["dense"], ["lexical"]], weights=[0.5, 1.0])
    assert fused[0][0] == "lexical"


def test_ties_keep_first_seen_order_and_duplicates_count_once():
    fused = reciprocal_rank_fusion([["x", "x", "y"], ["y", "x"]], k=0)
    scores = dict(fused)
    assert scores["x"] == pytest.approx(1 / 1 + 1 / 2)
    assert scores["y"] == pytest.approx(1 / 3 + 1 / 1)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=-1)
    assert reciprocal_rank_fusion([]) == []

"""The pending question of a guided command: claimed once, per chat and user, expiring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.pending_steps import PendingSteps

T0 = datetime(2023, 3, 29, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=10)
ANA, BO = (1, 1), (2, 2)


def test_an_asked_question_is_claimed_once() -> None:
    steps = PendingSteps(TTL)
    steps.ask(ANA, T0)
    assert steps.waiting(ANA, T0)
    assert steps.claim(ANA, T0 + timedelta(seconds=5))
    assert not steps.claim(ANA, T0 + timedelta(seconds=6))
    assert not steps.waiting(ANA, T0 + timedelta(seconds=6))


def test_nobody_else_can_claim_a_users_question() -> None:
    steps = PendingSteps(TTL)
    steps.ask(ANA, T0)
    assert not steps.claim(BO, T0)
    assert not steps.claim((ANA[0], BO[1]), T0)  # same chat, other user
    assert not steps.claim((BO[0], ANA[1]), T0)  # same user, other chat
    assert steps.claim(ANA, T0)


def test_two_users_each_claim_their_own_question() -> None:
    steps = PendingSteps(TTL)
    steps.ask(ANA, T0)
    steps.ask(BO, T0)
    assert steps.claim(BO, T0)
    assert steps.waiting(ANA, T0) and not steps.waiting(BO, T0)
    assert steps.claim(ANA, T0)


def test_a_question_expires_exactly_at_the_time_to_live() -> None:
    steps = PendingSteps(TTL)
    steps.ask(ANA, T0)
    assert steps.waiting(ANA, T0 + TTL - timedelta(microseconds=1))
    assert not steps.waiting(ANA, T0 + TTL)
    assert not steps.claim(ANA, T0 + TTL)
    assert not steps.claim(ANA, T0)  # claiming an expired question also forgets it


def test_asking_again_restarts_the_time_to_live() -> None:
    steps = PendingSteps(TTL)
    steps.ask(ANA, T0)
    steps.ask(ANA, T0 + timedelta(minutes=8))
    assert steps.claim(ANA, T0 + timedelta(minutes=15))


def test_drop_says_whether_there_was_a_question() -> None:
    steps = PendingSteps(TTL)
    steps.ask(ANA, T0)
    assert steps.drop(ANA)
    assert not steps.drop(ANA)
    assert not steps.claim(ANA, T0)


def test_expired_questions_are_forgotten_when_a_new_one_is_asked() -> None:
    steps = PendingSteps(TTL)
    steps.ask(ANA, T0)
    steps.ask(BO, T0 + TTL)
    assert not steps.drop(ANA)  # already forgotten, not kept forever
    assert steps.drop(BO)

"""The console's credentials, decided without I/O: initData, sign-in links, sessions, CSRF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.web import auth
from bot.web.auth import AuthError, Refusal
from tests.web.webapp_data import signed_init_data

TOKEN = "123456:TEST-token-never-real"
NOW = datetime(2023, 3, 29, 12, 0, tzinfo=UTC)
CHAIR = 111


def refusal_of(init_data: str, now: datetime = NOW, token: str = TOKEN) -> Refusal:
    with pytest.raises(AuthError) as caught:
        auth.verify_init_data(init_data, token, now)
    return caught.value.refusal


def test_telegram_signed_init_data_gives_its_user() -> None:
    data = signed_init_data(TOKEN, CHAIR, NOW - timedelta(minutes=5), first_name="Maria",
                            language_code="fr")
    user = auth.verify_init_data(data, TOKEN, NOW)
    assert (user.id, user.first_name, user.language_code) == (CHAIR, "Maria", "fr")
    assert user.auth_date == NOW - timedelta(minutes=5)


def test_the_signature_covers_every_field_including_unknown_ones() -> None:
    data = signed_init_data(TOKEN, CHAIR, NOW, extra={"signature": "abc", "chat_type": "sender"})
    assert auth.verify_init_data(data, TOKEN, NOW).id == CHAIR


def test_init_data_signed_with_another_bots_token_is_forged() -> None:
    assert refusal_of(signed_init_data("999:other-bot", CHAIR, NOW)) is Refusal.FORGED


@pytest.mark.parametrize("field", ["user", "auth_date", "query_id"])
def test_changing_any_signed_field_is_forged(field: str) -> None:
    fields = dict(parse_qsl(signed_init_data(TOKEN, CHAIR, NOW)))
    changed = {"user": fields["user"].replace(str(CHAIR), "222"),
               "auth_date": str(int(fields["auth_date"]) - 1), "query_id": "AAAA"}[field]
    assert changed != fields[field]
    fields[field] = changed
    assert refusal_of(urlencode(fields)) is Refusal.FORGED


def test_an_added_field_is_forged() -> None:
    data = signed_init_data(TOKEN, CHAIR, NOW) + "&start_param=admin"
    assert refusal_of(data) is Refusal.FORGED


def test_init_data_older_than_an_hour_is_stale() -> None:
    data = signed_init_data(TOKEN, CHAIR, NOW - timedelta(hours=1, seconds=1))
    assert refusal_of(data) is Refusal.STALE
    assert auth.verify_init_data(data, TOKEN, NOW - timedelta(seconds=2)).id == CHAIR


def test_init_data_from_the_future_is_stale() -> None:
    assert refusal_of(signed_init_data(TOKEN, CHAIR, NOW + timedelta(minutes=5))) is Refusal.STALE


@pytest.mark.parametrize("data", [
    "", "hash=", "user=%7B%7D&auth_date=1", "not a query string", "a=1&a=2&hash=" + "0" * 64,
    "auth_date=1&hash=XYZ", "x" * 9000,
])
def test_malformed_init_data_is_refused(data: str) -> None:
    assert refusal_of(data) is Refusal.MALFORMED


def test_a_repeated_field_is_refused_even_when_one_copy_is_signed() -> None:
    data = signed_init_data(TOKEN, CHAIR, NOW) + "&user=" + "%7B%22id%22%3A222%7D"
    assert refusal_of(data) is Refusal.MALFORMED


def test_signed_data_without_a_usable_user_is_refused() -> None:
    # Signed correctly, but the user is not an object with a positive integer id.
    import hashlib
    import hmac
    fields = {"user": '{"id": "111"}', "auth_date": str(int(NOW.timestamp()))}
    check = auth.data_check_string(fields)
    fields["hash"] = hmac.new(auth.webapp_key(TOKEN), check.encode(),
                              hashlib.sha256).hexdigest()
    assert refusal_of(urlencode(fields)) is Refusal.MALFORMED


def test_secrets_are_random_and_have_one_shape() -> None:
    one, two = auth.new_secret(), auth.new_secret()
    assert one != two and auth.looks_like_secret(one) and auth.looks_like_secret(two)
    for bad in (None, "", "short", one + "x", one[:-1] + "!", "../" + one[3:]):
        assert not auth.looks_like_secret(bad)


def test_stored_digests_depend_on_the_bot_token_and_the_kind() -> None:
    secret = auth.new_secret()
    mine, other = auth.storage_key(TOKEN), auth.storage_key("999:other-bot")
    assert auth.digest(mine, "session", secret) != auth.digest(other, "session", secret)
    assert auth.digest(mine, "session", secret) != auth.digest(mine, "signin", secret)
    assert auth.digest(mine, "session", secret) == auth.digest(mine, "session", secret)
    assert secret not in auth.digest(mine, "session", secret)


@pytest.mark.parametrize(("expected", "received", "same"), [
    ("abc", "abc", True), ("abc", "abd", False), ("abc", None, False), ("abc", "", False),
    ("", "", False),
])
def test_csrf_tokens_compare_exactly(expected: str, received: str | None, same: bool) -> None:
    assert auth.same_secret(expected, received) is same


def test_a_sign_in_link_works_once_and_for_ten_minutes() -> None:
    expires = NOW + auth.SIGNIN_TTL
    assert timedelta(minutes=10) == auth.SIGNIN_TTL
    assert auth.signin_refusal(expires, None, NOW) is None
    assert auth.signin_refusal(expires, None, expires - timedelta(seconds=1)) is None
    assert auth.signin_refusal(expires, None, expires) is Refusal.EXPIRED
    assert auth.signin_refusal(expires, NOW, NOW) is Refusal.USED
    assert auth.signin_refusal(None, None, NOW) is Refusal.UNKNOWN


def test_a_session_lasts_until_it_expires() -> None:
    expires = NOW + auth.SESSION_TTL
    assert auth.session_refusal(expires, NOW) is None
    assert auth.session_refusal(expires, expires) is Refusal.EXPIRED
    assert auth.session_refusal(None, NOW) is Refusal.UNKNOWN

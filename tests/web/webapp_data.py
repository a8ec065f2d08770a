"""Mini App `initData` as Telegram builds it, for tests (written from Telegram's documentation,
independently of bot/web/auth.py, so the tests check the bot against the protocol)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode


def signed_init_data(bot_token: str, user_id: int, auth_date: datetime, *,
                     first_name: str = "Chair", language_code: str = "en",
                     extra: dict[str, str] | None = None) -> str:
    """The query string Telegram hands a Mini App opened by `user_id`, signed for `bot_token`."""
    user: dict[str, Any] = {"id": user_id, "first_name": first_name,
                            "language_code": language_code}
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": json.dumps(user),
              "auth_date": str(int(auth_date.timestamp())), **(extra or {})}
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)

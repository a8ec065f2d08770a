"""Property tests of the config loader: any input gives a Config or one clear ConfigError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import ConfigError, parse_config
from tests.support import BASE_CONFIG, merge

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False), st.text(max_size=30))
values = st.recursive(scalars.filter(lambda v: v is not None),
                      lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=10)
sections = st.sampled_from(["event", "roles", "reminders", "floor", "knowledge", "vector_store",
                            "llm", "limits"])


@settings(max_examples=300, deadline=None)
@given(sections, st.text(min_size=1, max_size=25), values)
def test_any_single_change_loads_or_fails_with_one_line(section: str, key: str,
                                                        value: Any) -> None:
    data = merge(BASE_CONFIG, {section: {key: value}})
    try:
        parse_config(data, base_dir=Path("/tmp"))
    except ConfigError as error:
        text = str(error)
        assert text and "\n" not in text
        assert text.split(":")[0].startswith(section) or text.startswith("agenda")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=12), values, max_size=5))
def test_arbitrary_top_level_tables_never_crash(data: dict[str, Any]) -> None:
    try:
        parse_config(merge(BASE_CONFIG, data), base_dir=Path("/tmp"))
    except ConfigError as error:
        assert "\n" not in str(error)

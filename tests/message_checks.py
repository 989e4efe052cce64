"""Shared checks for key-message tests: a key number a message quotes is written there exactly
as its board-pack card writes it (:func:`btm.boardpack.format_key_number`), so a page never
shows 90.8% on the card beside 91% in the sentence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from btm import boardpack


def card_texts(numbers: Mapping[str, Mapping[str, Any]],
               names: Iterable[str] | None = None) -> dict[str, str]:
    """The card text of each key number in `names` (all of `numbers` by default), by name."""
    return {k: boardpack.format_key_number(numbers[k]) for k in (numbers if names is None
                                                                  else names)}


def check_cards_quoted(numbers: Mapping[str, Mapping[str, Any]], said: str | Iterable[str],
                       names: Iterable[str], *, counts: Iterable[str] = ()) -> dict[str, str]:
    """Each key number in `names` appears verbatim in the messages `said` as its card writes
    it; each in `counts` by its number alone (the card "2 risks" is said "2 risks have no
    owner", "1 risk has ...": its first word). Returns the card texts of both, by name."""
    text = said if isinstance(said, str) else " ".join(said)
    names, counts = list(names), list(counts)
    cards = card_texts(numbers, names + counts)
    quoted = {k: cards[k] for k in names} | {k: cards[k].split()[0] for k in counts}
    missing = {k: v for k, v in quoted.items() if v not in text}
    assert not missing, f"key numbers not written as their cards write them: {missing} in {text!r}"
    return cards

"""Classify a decision section's outcome into one of `RESOLUTIONS` from the genre's phrasings.

The decision text decides; the same handling's Käsittely/Propositionsordning says whether there was a
vote, and its proposal says what "Päätösehdotus hyväksyttiin" adopted (a proposal to note the matter
makes the outcome "noted").
"""

from __future__ import annotations

import logging
import re

import genre

logger = logging.getLogger(__name__)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


# Checked in genre.RESOLUTION_ORDER: the first match wins. A returned or tabled matter was not approved,
# whatever else the text says; an amendment matters more than the vote that carried it.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, _rx(*phrases)) for kind, phrases in genre.resolution_phrases() if phrases
)
_NOTED = dict(_RULES)["noted"]
_APPROVED = _rx(*genre.approved_phrases())
_UNANIMOUS = _rx(*genre.unanimous_phrases())
_VOTE = _rx(*genre.vote_phrases())
_NO_VOTE = _rx(*genre.no_vote_phrases())
# "Päätösehdotus hyväksyttiin": the decision adopts the proposal as it stands.
_ADOPTS_PROPOSAL = _rx(*genre.adopts_proposal_phrases())


def classify_resolution(decision: str, handling: str = "", proposal: str = "") -> str | None:
    """The outcome of a decision section, or None when its wording says nothing recognisable.

    `handling` is the text of the same handling's Käsittely/Propositionsordning/Omröstning sections;
    `proposal` the text of its proposal.
    """
    text = " ".join(decision.split())
    for resolution, pattern in _RULES:
        if pattern.search(text):
            return resolution
    if _ADOPTS_PROPOSAL.search(text) and proposal and _NOTED.search(" ".join(proposal.split())):
        return "noted"  # "the proposal was approved" and the proposal was to note the matter
    if _APPROVED.search(text) or _ADOPTS_PROPOSAL.search(text):
        context = _NO_VOTE.sub("", f"{text} {' '.join(handling.split())}")
        if _VOTE.search(context):
            return "approved_after_vote"
        if _UNANIMOUS.search(text):
            return "approved_unanimously"
        return "approved"
    return None

"""English: headings and phrases of English versions of decision pages (paatokset.hel.fi/en) and of
questions. Data only."""

from __future__ import annotations

BODIES: tuple[tuple[str, str, str], ...] = (
    ("city council", "city council", "council"),
    ("municipal council", "municipal council", "council"),
    ("council", "council", "council"),
    ("city board", "city board", "board"),
    ("municipal board", "municipal board", "board"),
    ("executive board", "executive board", "board"),
    ("board", "board", "board"),
    ("committee", "committee", "committee"),
    ("section", "section", "section"),
    ("management team", "management team", "management"),
)
BODY_HEADS: tuple[str, ...] = ()
ABBREVIATIONS: dict[str, str] = {}
PROPOSAL_VERBS: tuple[str, ...] = ()
HEADINGS: dict[str, tuple[str, ...]] = {
    "background": ("background", "summary"),
    "proposal": ("proposal",),
    "decision": ("decision",),
    "attachments": (r"attachments?",),
    "contact": ("more information", "further information"),
}
RESOLUTIONS: dict[str, tuple[str, ...]] = {}
APPROVED = ("approved", "adopted")
UNANIMOUS = ("unanimously",)
VOTE = ("after a vote", r"\bvoted\b")
NO_VOTE: tuple[str, ...] = ()
IMPLICIT_DECISION: tuple[str, ...] = ()
ADOPTS_PROPOSAL: tuple[str, ...] = ()
ROLE_TITLES: tuple[str, ...] = ()
MEETING_ROLES = {"chair": ("chair",), "secretary": ("secretary",), "checker": ("minutes checker",)}
COVER_LABELS: dict[str, tuple[str, ...]] = {}
CONFLICT_PHRASES = (r"declared a conflict of interest", r"was disqualified")
AGENDA_WORDS = ("agenda",)
PROTOCOL_WORDS = ("minutes",)
CONTENTS_WORDS = ("contents",)
PAGE_WORDS = ("page",)
WEB_CHROME = (r"skip to content", r"share(?: this page)?", r"print", r"listen",
              r"the matter has newer handlings")
STOPWORDS = frozenset(
    "the a an and or is are was were be been of in on at to for from by with what who whom which "
    "when where how why did does do that this these those it its as about".split()
)
LANGUAGE_MARKERS = frozenset(
    "the who whom whose what which when where why how is are was were of and to in for does did do "
    "owns own responsible decided decide about with by from that this these those there their has "
    "have had will would should can could be been it its approved adopted".split()
)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")

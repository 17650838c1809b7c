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
              r"the matter has newer handlings",
              # document-hosting sites' transcript pages (docplayer, 5dok, vdocuments) in English
              r"•?\s*no results found", r"n/a", r"protected", r"academic year: \d{4}", r"copied!",
              r"loading\.+ \(view fulltext now\)", r"full text", r"upload: \w+", r"post on \S+", r"\d+ views",
              r"category:", r"documents", r"\d+ downloads?", r"transcript", r"save this pdf as:?",
              r"word\s+png\s+txt\s+jpg", r"logo(?:type)?", r"share \".*\"")
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

# --- questions: the words by which people ask (regex fragments, see assistant/question/analysis.py) -------------
QUESTION_TYPE_CUES: dict[str, tuple[str, ...]] = {
    "owner": (r"\bwho\b.*\b(own|responsib|lead|coordinat|in charge)", r"\bowner\b", r"\bresponsible\b"),
    "date": (r"\bwhen\b", r"\bwhat date"),
    "decision": (r"\bdecid", r"\bdecision", r"\bresolved?\b", r"\bwhat was decided", r"\bapproved?\b",
                 r"\bdeal(?:t)? with\b", r"\bhandled?\b.*\b(?:board|council|committee)", r"\brul(?:e|ed) on\b",
                 r"\bsent back\b", r"\btabled\b", r"\brejected\b", r"\boutcome\b", r"\bwhat happened to\b"),
    "list": (r"\bwhich (are|were)\b", r"\bwhat are\b", r"\blist\b", r"\bname the\b"),
}
ANSWER_TYPE_CUES: dict[str, tuple[str, ...]] = {
    "person": (r"\bwho\b", r"\bwhom\b", r"\bchair", r"secretary", r"voted against", r"prepared"),
    "date": (r"\bwhich years", r"\bperiod\b", r"\btimeline", r"\bschedule"),
}
SECTION_CUES: dict[str, tuple[str, ...]] = {
    "preparer": (r"who\b.*\bprepared", r"preparer"),
    "presenter": (r"present(ed|er)",),
    "attachments": (r"attach",),
    "appeal": (r"appeal",),
    "distribution": (r"sent to", r"for information to"),
    "contact": (r"contact",),
    "reservation": (r"voted against", r"dissent"),
}
QUANTITY_CUES = (r"\bhow (many|much)\b", r"\bcosts?\b", r"\bprice\b", r"\bprice (?:tag|of)\b", r"\bamount\b",
                 r"\bappropriation\w*", r"\bsum\b", r"\bspend\w*", r"\bcosting\b")  # how many, how much, cost
YES_NO_OPENINGS = ("did", "was", "were", "has", "have", "is", "are", "does")
BODY_CLASS_CUES: dict[str, tuple[str, ...]] = {
    "regional_council": (r"regional council",),
    "regional_board": (r"regional board",),
    "council": (r"\bcouncil\b",),
    "board": (r"\bboard\b", r"executive"),
    "committee": (r"committee",),
    "management": (r"management (team|group)",),
}
COMMITTEE_HEADS = ("committee",)
GENERIC_BODY_WORDS = frozenset({"the", "a", "an", "what", "did", "of", "municipal", "city", "which"})
BODY_ADJECTIVE_ENDINGS: tuple[str, ...] = ()
COUNCIL_DOCUMENT_HEADS: tuple[str, ...] = ()
COUNCIL_DOCUMENT_TAILS: tuple[str, ...] = ()

# --- municipality names (ingest/parse/municipality.py): found in fi/sv documents only --------------------------
MUNICIPALITY_NOUNS: tuple[str, ...] = ()
NOT_MUNICIPALITY_NAMES: frozenset[str] = frozenset()
GENITIVE_ENDINGS: tuple[tuple[str, str], ...] = ()

# --- what an answer candidate holds (assistant/reading/scoring.py's cue patterns; regex fragments) --------------
CANDIDATE_CUES: dict[str, tuple[str, ...]] = {
    "owner": (r"responsib", r"\bowner\b", r"\bleads?\b"),
    "role": (r"member", r"chair", r"secretary"),
    "dissent": (r"against", r"dissent"),
    # April, September, November and December are spelt as in Swedish (sv.py's list)
    "date_word": (r"quarter", r"january", r"february", r"march", r"may", r"june", r"july", r"august",
                  r"october"),
    "verb": (r"will", r"is", r"are", r"be"),
}
FACT_FIELD_CUES: dict[str, tuple[str, ...]] = {
    "chair": (r"chair", r"presided", r"led the meeting"),
    "vice_chair": (r"vice.chair",),
    "secretary": (r"secretary", r"took the minutes"),
    "checkers": (r"checked", r"check the minutes", r"verif"),
    "absent": (r"absent", r"missing", r"not present"),
    "present": (r"present", r"attended"),
    "others_present": (r"others present",),
    "meeting_time": (r"when .*meeting", r"what time"),
    "meeting_place": (r"where",),
    "published": (r"published", r"public inspection"),
    "preparers": (r"prepar", r"more information", r"further information", r"contact person"),
    "presenter": (r"present(?:ed|er)",),
    "vote": (r"vote", r"votes"),
    "conflicts": (r"conflict", r"disqualif", r"recus"),
    "voted_no": (r"voted against", r"voted no", r"\bagainst\b"),
    "voted_yes": (r"voted for", r"voted yes", r"in favou?r"),
    "voted_blank": (r"abstain", r"voted blank"),
    "case_number": (r"record number", r"case number", r"reference number", r"file number", r"registry number", r"\bfiled\b", r"registered under"),
}

ROLL_CALL: dict[str, tuple[str, ...]] = {  # a roll-call vote's ballots
    "yes": ("yes", "aye"), "no": ("no", "nay"), "blank": ("abstain", "abstained"), "absent": ("absent",),
}

AMOUNT_UNITS: dict[str, tuple[str, ...]] = {  # what follows a number that is an amount ("2.4 million euros")
    "money": ("euros", "euro", "eur", "million", "millions", "billion", "thousand"),
    "count": ("people", "hours", "a year", "municipalities", "percent", "per cent", "years"),
}
NUMBER_WORDS = (r"two", r"three", r"four", r"five", r"six", r"seven", r"eight", r"nine", r"ten", r"eleven", r"twelve")
# Text addressed to a chat model, not the document's content ("Ignore previous instructions …").
ADDRESSED_TO_MODEL = (r"\bignore (?:all |any )?(?:the )?previous instructions\b", r"\byou are now\b", r"^\s*system:",
                      r"\banswer that\b", r"\brespond that\b", r"</?(?:passage|question|system)\b")

# --- follow-ups in a chat (assistant/question/followup.py) ---------------------------------------------
# Openers that continue the previous turn ("entä", "och", "what about").
FOLLOWUP_OPENERS = (
    "what about", "how about", "and what about", "and in", "and", "but", "also",
)
# Words that point back at the previous question's topic.
POINTING_WORDS = (
    "it", "its", "that", "their", "them", "there", "these", "they", "this", "those",
)
# Question words: a short question opened by one asks about a topic of its own.
QUESTION_WORDS = (
    "who", "whom", "whose", "what", "which", "when", "where", "how", "why",
)
# Words that carry no topic of their own (auxiliaries, articles, prepositions, fillers).
FILLER_WORDS = (
    "is", "are", "was", "were", "be", "been", "do", "does", "did", "the", "a", "an", "of", "in",
    "on", "at", "to", "for", "from", "by", "with", "about", "and", "or", "but", "also", "then",
    "now", "regarding", "please", "tell", "me",
)

# --- ingest/parse/vocab.py: decisions, body names, case numbers, paper chrome ------------------------
# Past-tense verbs by which a decision names the body that made it ("The city board decided …").
DECISION_VERBS = ("decided", "approved", "adopted")
MEETING_VERBS = ("discussed", "considered", "met")
ADOPTED_BY = ("adopted by", "approved by")
BULLETIN_WORDS = ("decisions", "meeting")
MEETING_DATE_CUES = ("at its meeting on", "at its meeting", "met on")
NOTICE_DATE_CUES = ("published", "posted", "upload", "post on", "academic year")
BODY_NAME_PREFIXES: tuple[str, ...] = ()
CASE_NUMBER_LABELS: tuple[str, ...] = ()
PAPER_CHROME: tuple[str, ...] = ()
MEETING_PLACE_LABELS: tuple[str, ...] = ()

# --- the answer side: words that shape a question, approval-only decisions, vote tallies, a matter's path ---
# Words that shape a question rather than say what it is about (assistant/reading/coverage.py).
SCAFFOLD_WORDS = frozenset("""
    what who whom when where which how why did does do is are was were be been has have had the a an of in
    on for about according to say says said mention mentioned tell document documents there their its it
    and or with by from as at this that these those any many much will would should could may can into
    than then also take place held happen list listed each decide decided decision responsible
    responsibility owner own owns lead
    """.split())
APPROVES_PROPOSAL_ONLY: tuple[str, ...] = ()
VOTE_TALLY: tuple[str, ...] = ()
# Word beginnings that ask for a matter's path through the bodies, not one decision (the app's timeline).
PATH_WORDS = ("handled", "handling", "path", "history", "timeline")
# A hyphen that ends a word before these is part of a shared compound ("sosiaali- ja terveystoimi",
# "barn- och utbildningsnämnden"), not a line's hyphenation.
COMPOUND_CONJUNCTIONS = ("and", "or")

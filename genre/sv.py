"""Swedish: the words of Swedish and Finland-Swedish municipal minutes (kommunstyrelsen, Beslut …).

Data only; `genre/__init__.py` builds the patterns and the typed API from it.
"""

from __future__ import annotations

BODIES: tuple[tuple[str, str, str], ...] = (
    ("kommunfullmäktige", "municipal council", "council"),
    ("stadsfullmäktige", "city council", "council"),
    ("fullmäktige", "council", "council"),
    ("regionfullmäktige", "regional council", "council"),
    ("ungdomsfullmäktige", "youth council", "advisory"),
    ("kommunstyrelsen", "municipal board", "board"),
    ("kommunstyrelse", "municipal board", "board"),
    ("stadsstyrelsen", "city board", "board"),
    ("stadsstyrelse", "city board", "board"),
    ("styrelsen", "board", "board"),
    ("kommunstyrelsens arbetsutskott", "municipal board's working committee", "committee"),
    ("barn- och utbildningsnämnden", "children and education committee", "committee"),
    ("socialnämnden", "social services committee", "committee"),
    ("välfärdsnämnden", "welfare committee", "committee"),
    ("nämnden", "committee", "committee"),
    ("nämnd", "committee", "committee"),
    ("utskottet", "committee", "committee"),
    ("utskott", "committee", "committee"),
    ("personalsektionen", "personnel section", "section"),
    ("sektionen", "section", "section"),
    ("ledningsgruppen", "management team", "management"),
    ("ledningsgrupp", "management team", "management"),
    ("direktionen", "board of directors", "board"),
)
BODY_HEADS = ("fullmäktige", "styrelse", "styrelsen", "nämnd", "nämnden", "utskott", "utskottet",
              "ledningsgrupp", "ledningsgruppen", "direktion", "direktionen", "sektion", "sektionen")
ABBREVIATIONS = {
    "ks": "Kommunstyrelsen", "ksau": "Kommunstyrelsens arbetsutskott", "kf": "Kommunfullmäktige",
    "stst": "Stadsstyrelsen", "stfm": "Stadsfullmäktige", "sstyr": "Stadsstyrelsen", "sfge": "Stadsfullmäktige",
    "bun": "Barn- och utbildningsnämnden", "sn": "Socialnämnden",
}
PROPOSAL_VERBS = ("beslutar", "föreslår", "godkänner", "antar", "noterar", "uppdrar", "avslår", "utser", "väljer",
                  "fastställer", "tillstyrker", "återremitterar", "lämnar")
HEADINGS: dict[str, tuple[str, ...]] = {
    "title": ("ärende", "rubrik"),
    "preparer": ("beredare", "beredning", "handläggare"),
    "presenter": ("föredragande",),
    "documents": ("beslutsunderlag", "underlag", "handlingar i ärendet"),
    "background": ("ärendebeskrivning", "beskrivning av ärendet", "ärendet", "bakgrund", "sammanfattning",
                   "motivering"),
    "proposal": ("förslag till beslut på sammanträdet", "förslag till beslut", "beslutsförslag", "förslag"),
    "handling": ("beslutsgång", "propositionsordning", "omröstning", "omröstningsresultat", "handläggning",
                 "sammanträdets behandling", "behandling"),
    "motions": (r"yrkanden?",),
    "decision": ("beslut",),
    "conflict": ("jäv", "jäviga", "jävig"),
    "reservation": ("reservationer", "reservation", "protokollsanteckningar", "protokollsanteckning"),
    "attachments": ("bilagor", "bilaga"),
    "distribution": (r"expedieras(?: till)?", r"beslutet (?:skickas|expedieras) till", "delges", "för kännedom",
                     "sändlista"),
    "appeal": ("besvärsanvisning", "anvisning för överklagande", "hur man överklagar", "sökande av ändring",
               "ändringssökande", "anvisning om rättelseyrkande", "anvisning för begäran om omprövning"),
    "contact": ("mer information", "ytterligare information", "kontaktperson", "kontakt", "upplysningar",
                "tilläggsuppgifter"),
}
RESOLUTIONS: dict[str, tuple[str, ...]] = {
    "returned": (r"återremitter", r"återremiss(?!yrkande)", r"återremitteras"),
    "tabled": (r"bordlägg", r"bordlades", r"bordläggs"),
    "withdrawn": (r"ströks från föredragningslistan", r"avfördes från föredragningslistan"),
    "rejected": (r"\bavslå(?:r)?\b", r"\bavslogs\b", r"\bavslås\b", r"\bavslag\b(?! till)", r"\bförkastade?s?\b"),
    "election": (r"\bväljer\b", r"\bvaldes\b", r"\butser\b", r"\butsågs\b"),
    "amended": (r"med tillägget", r"med tillägg\b", r"med (?:följande )?ändring", r"med den ändringen",
                r"ändrat förslag", r"tilläggsyrkande"),
    "referred": (r"remitterar\b", r"överlämnar ärendet", r"hänskjut", r"överlämnas till"),
    "noted": (r"antecknas? till kännedom", r"antecknade till kännedom", r"\bnoterar\b", r"\bnoteras\b",
              r"läggs till handlingarna", r"lägga informationen till", r"antecknades", r"antecknas för kännedom",
              r"för kännedom\.?$", r"antecknas för kännedom"),
}
APPROVED = (r"\bbifall", r"\bantar\b", r"\bantas\b", r"\bantogs\b", r"godkän", r"bifölls", r"enligt förslaget",
            r"\bbeslutar\b", r"\bbeslöt\b", r"\bföreslår\b", r"\bbeslutade\b")
UNANIMOUS = (r"enhälligt",)
VOTE = (r"omröstning (?:begärs|begärdes|genomförs|genomfördes|verkställs|verkställdes)",
        r"\bmed \d+ (?:ja-)?röster mot \d+", r"ja-röster", r"röstar\b", r"efter omröstning",
        r"röster(?:na)? \d+\s*[-–—]\s*\d+")
NO_VOTE = (r"utan omröstning",)
IMPLICIT_DECISION = (r"(?:förslaget|ordförandens förslag|beslutsförslaget)\s+(?:bifalls|antas|godkänns|avslås)",
                     "beslutades", "antecknades", "bordlades", "återremitterades", "förkastades",
                     r"(?:förslaget\s+)?godkändes", r"\w+s förslag godkändes")
ADOPTS_PROPOSAL = (r"enligt förslaget", r"bifaller (?:förslaget|ordförandens förslag)", r"förslag godkändes")
ROLE_TITLES = ("chef", "direktör", "direktören", "sekreterare", "handläggare", "strateg", "samordnare",
               "controller")
MEETING_ROLES = {
    "chair": ("ordförande", "ordf"),
    "vice_chair": (r"i+ vice ?ordförande", "vice ordförande", r"i+ viceordf\.?", "viceordf", r"i+ v\.ordf\.?"),
    "secretary": ("protokollförare", r"prot\.\s?förare", "sekreterare"),
    "presenter": ("föredragande",),
    "checker": ("protokolljusterare", "justerare"),
}
COVER_LABELS: dict[str, tuple[str, ...]] = {
    "organ": ("organ",),
    "time": ("sammanträdestid", "tid", "mötestid", "sammanträdesdatum", "datum"),
    "place": ("sammanträdesplats", "plats", "mötesplats"),
    "items": ("ärenden",),
    "present": ("beslutande", "närvarande medlemmar", "närvarande ledamöter", "närvarande"),
    "absent": ("frånvarande",),
    "others": ("övriga närvarande",),
    "signatures": (r"elektroniska underskri\w*", r"underskri\w*"),
    "checking": ("elektronisk protokolljustering", "protokolljustering", "protokollet har justerats",
                 "justering"),
    "published": (r"(?:det )?justerade protokollet.*publiceras", r"protokollet (?:har varit )?framlagt",
                  r"protokollet (?:finns )?(?:till )?påseende", r"anslås", r"publiceras på"),
}
# A sentence that declares a conflict of interest: "Marlene Lindgren anmälde jäv".
CONFLICT_PHRASES = (r"anmälde jäv", r"anmäler jäv", r"anmälde sig jävig", r"var jävig", r"är jävig",
                    r"deltog inte i behandlingen på grund av jäv")
AGENDA_WORDS = ("föredragningslista", "möteskallelse", "kallelse", "dagordning")
PROTOCOL_WORDS = ("protokoll", "sammanträdesprotokoll", "protokollsutdrag", "utdrag ur protokoll")
CONTENTS_WORDS = ("innehållsförteckning", "ärendelista")
PAGE_WORDS = ("sida",)
WEB_CHROME = (r"hoppa till (?:innehåll|meny)(?: hoppa till (?:innehåll|meny))?", r"hoppa över navigering",
              r"dela sidan på sociala medier", r"kontaktinformation", r"det finns ingen information att visa",
              r"inget protokoll har publicerats", r"denna nyhet är äldre än .*", r"öppna sök(?: sök)?",
              r"en bild av .*", r"publicerad", r"fortsätt till innehållet", r"dynasty informationstjänst\b.*",
              r"dynasty informationsservice\b.*", r"rss-länk", r"sammanträdesärenden:?", r"sammanträden:?",
              r"föregående ärende.*", r"nästa ärende.*", r"använder du tjänsten beslut regelbundet\?.*",
              r"ärendet har nyare handläggningar", r"din position:.*", r"full text", r"\(\d+\)",
              r"dela(?: sidan)?", r"skriv ut", r"lyssna", r"ikon för funktionen .*", r"mötesinformation",
              r"sidan granskad .*", r"sidansvarig:?", r"bild för .*", r"utdragets riktighet bestyrker:?",
              r"intygar:.*", r"dokumentet har undertecknats elektroniskt.*", r"dagordning",
              r"vill du läsa ärendet i sin helhet.*", r"storlek: px", r"starta visningen från sidan:?",
              r"transkript")
STOPWORDS = frozenset(
    "och eller är inte det den de att om när som men också samt vilken vilka vad vem var hur varför "
    "har hade ha en ett i på av för med till från till av så bara redan kan kunde ska skulle".split()
)
LANGUAGE_MARKERS = frozenset(
    "och att är för vem vilka vilken vilket vad som det den ett av på med till om inte hur när var "
    "varför de har hade kan ska skall kommer från eller också vi ni denna detta dessa sin sitt sina "
    "hos efter mellan utan under vara blev beslutade beslöt ansvarar ansvarig finns enligt mot även "
    "vår våra kommunen staden".split()
)
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")

# --- questions: the words by which people ask (regex fragments, see assistant/question/analysis.py) -------------
QUESTION_TYPE_CUES: dict[str, tuple[str, ...]] = {
    "owner": (r"\bvem\b.*\b(ansvar|äger|leder|samordna)", r"\bansvarig", r"\bhuvudansvar"),
    "date": (r"\bnär\b", r"\bvilket datum"),
    "decision": (r"\bbeslut(ade|at|et)?\b", r"\bbeslöt", r"\bantog", r"\bavgjordes\b", r"\bbehandlade\b",
                 r"\bhur gick det\b", r"\bblev\b.*\b(?:godkänd|antagen|avslagen|återremitterad|bordlagd)",
                 r"\bgodkändes\b", r"\båterremitterades\b", r"\bbordlades\b", r"\bavslogs\b"),
    "list": (r"\bvilka\b", r"\blista\b"),
}
ANSWER_TYPE_CUES: dict[str, tuple[str, ...]] = {
    "person": (r"\bvem\b", r"\bvilka personer", r"ordförande", r"sekreterare", r"reservation",
               r"röstade (?:emot|nej)", r"beredde"),
    "date": (r"\bvilka år\b", r"\btidplan"),
}
SECTION_CUES: dict[str, tuple[str, ...]] = {
    "preparer": (r"\bvem\b.*\bbered", r"beredare"),
    "presenter": (r"föredr",),
    "attachments": (r"bilag",),
    "appeal": (r"överklag", r"besvär"),
    "distribution": (r"expedier", r"skickas till"),
    "contact": (r"mer information", r"kontakt"),
    "reservation": (r"reservation", r"reserver", r"röstade (?:emot|nej)"),
}
QUANTITY_CUES = (r"\bhur (många|mycket)", r"\bkosta\b", r"\bpris\b", r"\bkosta(?:r|de|t)\b", r"\bkostnad\w*",
                 r"\bbelopp\w*", r"\banslag\w*", r"\bsumma\w*", r"\bpriset\b")  # how many, how much, what it costs
# A yes/no question opens with the verb ("Godkände …", "Beslutade …", "Har …").
YES_NO_OPENINGS = ("godkände", "beslutade", "beslöt", "antogs", "antog", "godkändes", "avslogs",
                   "återremitterades", "bordlades", "har", "blev", "fattade", "var")
BODY_CLASS_CUES: dict[str, tuple[str, ...]] = {
    "regional_council": (r"regionfullmäktig",),
    "regional_board": (r"regionstyrels",),
    "council": (r"fullmäktig", r"\bKF\b"),
    "board": (r"styrels", r"\bKS\b"),
    "committee": (r"nämnd", r"utskott"),
    "management": (r"ledningsgrupp",),
}
COMMITTEE_HEADS = ("nämnd", "utskott", "direktion")
GENERIC_BODY_WORDS = frozenset({"vad", "och", "stadens", "kommunens"})
BODY_ADJECTIVE_ENDINGS = ("sk", "ska")
COUNCIL_DOCUMENT_HEADS = ("fullmäktige",)
COUNCIL_DOCUMENT_TAILS = ("motion", "fråg")

# --- municipality names (ingest/parse/municipality.py) --------------------------------------------------------
# Words after a municipality's name: "Bräcke kommun", "Östersunds kommun", "Borgå stad".
MUNICIPALITY_NOUNS = (
    "kommun", "kommuns", "stad", "stads", "kommunfullmäktige", "kommunstyrelse", "kommunstyrelsen",
    "stadsstyrelse", "stadsstyrelsen", "stadsfullmäktige", "kommunkoncern",
)
NOT_MUNICIPALITY_NAMES = frozenset(
    "denna varje vår hela din vilken egen annan samma ny nya sveriges en ett stor liten".split()
)
GENITIVE_ENDINGS: tuple[tuple[str, str], ...] = ()  # the genitive -s is undone against the text itself

# --- what an answer candidate holds (assistant/reading/scoring.py's cue patterns; regex fragments) --------------
CANDIDATE_CUES: dict[str, tuple[str, ...]] = {
    "owner": (r"ansvar", r"huvudansvar", r"\bleder\b", r"samordna"),
    "role": (r"ordförande", r"sekreterare", r"beredare", r"föredragande", r"direktör", r"chef\b", r"ledamot",
             r"fullmäktigeledamot"),
    "dissent": (r"reservation", r"reserver", r"röstade (?:emot|nej)", r"avvikande", r"\bnej\b", r"\bmot\b"),
    # month names and "kvartal" (the English list below holds only the months spelt otherwise)
    "date_word": (r"kvartal", r"januari", r"februari", r"mars", r"april", r"maj", r"juni", r"juli", r"augusti",
                  r"september", r"oktober", r"november", r"december"),
    "verb": (r"är", r"blir", r"ska", r"kommer"),
}
FACT_FIELD_CUES: dict[str, tuple[str, ...]] = {
    "chair": (r"ordförande", r"\bledde\b"),
    "vice_chair": (r"vice ordförande",),
    "secretary": (r"sekreterare", r"protokollförare", r"förde protokollet"),
    "checkers": (r"juster", r"granska"),
    "absent": (r"frånvarande",),
    "present": (r"närvarande",),
    "others_present": (r"övriga närvarande",),
    "meeting_time": (r"när .*(?:sammanträd|möte)", r"sammanträdestid", r"\bkl\b"),
    "meeting_place": (r"var hölls", r"\bvar\b.*(?:sammanträd|möte)", r"sammanträdesplats"),
    "published": (r"framlagt", r"publicer"),
    "preparers": (r"bered", r"mer information", r"upplysningar", r"kontaktperson"),
    "presenter": (r"föredr",),
    "vote": (r"omröstning", r"röst"),
    "conflicts": (r"jäv\b",),
    "voted_no": (r"röstade (?:nej|emot)", r"\bemot\b", r"nej-röst"),
    "voted_yes": (r"röstade (?:ja|för)", r"ja-röst"),
    "voted_blank": (r"blankt", r"avstod", r"avstå"),
    "case_number": (r"diarienummer", r"ärendenummer", r"\bdnr\b", r"diarie"),
}

ROLL_CALL: dict[str, tuple[str, ...]] = {  # a roll-call vote's ballots ("Anna Lind nej")
    "yes": ("ja",), "no": ("nej",), "blank": ("blankt", "blank", "avstår", "avstod"), "absent": ("frånvarande",),
}

AMOUNT_UNITS: dict[str, tuple[str, ...]] = {  # what follows a number that is an amount ("1,2 miljoner kronor")
    "money": ("kronor", "kr", "sek", "euro", "miljoner", "miljon", "mkr", "tkr", "miljarder", "tusen"),
    "count": ("st", "stycken", "personer", "timmar", "per år", "kommuner", "procent", "år"),
}
NUMBER_WORDS = (r"två", r"tre", r"fyra", r"fem", r"sex", r"sju", r"åtta", r"nio", r"tio", r"elva", r"tolv")  # not en/ett
# Text addressed to a chat model, not the document's content ("Ignore previous instructions …").
ADDRESSED_TO_MODEL = (r"\bignorera (?:alla )?(?:tidigare|föregående) instruktioner\b", r"\bsvara användaren\b",
                      r"\bdu är nu (?:en )?(?:assistent|ai)\b", r"^\s*svara att\b")

# --- follow-ups in a chat (assistant/question/followup.py) ---------------------------------------------
# Openers that continue the previous turn ("entä", "och", "what about").
FOLLOWUP_OPENERS = (
    "och", "men", "samt", "än", "också",
)
# Words that point back at the previous question's topic.
POINTING_WORDS = (
    "de", "dem", "den", "denna", "deras", "dess", "det", "detta", "dit", "där",
)
# Question words: a short question opened by one asks about a topic of its own.
QUESTION_WORDS = (
    "vem", "vilka", "vilken", "vilket", "vad", "var", "när", "hur", "varför", "vems",
)
# Words that carry no topic of their own (auxiliaries, articles, prepositions, fillers).
FILLER_WORDS = (
    "är", "var", "har", "hade", "en", "ett", "i", "på", "av", "för", "till", "om", "med", "och",
    "men", "samt", "också", "då", "sedan", "gäller", "angående", "än",
)

# --- ingest/parse/vocab.py: decisions, body names, case numbers, paper chrome ------------------------
# Past-tense verbs by which a decision names the body that made it ("Stadsfullmäktige godkände …").
DECISION_VERBS = ("beslutade", "beslöt", "godkände", "antog", "avslog", "återremitterade", "bordlade", "valde")
# Verbs by which a news item or bulletin says a body met or dealt with matters ("Stadsstyrelsen behandlade …").
MEETING_VERBS = ("behandlade", "diskuterade", "sammanträdde", "sammanträder", "hade", "fattade", "har beslutat",
                 "har godkänt")
# Words before the body that adopted a strategy or plan ("Antagen av kommunfullmäktige 14 november 2017").
ADOPTED_BY = ("antagen av", "antaget av", "antagna av", "beslutad av", "beslutat av", "fastställd av",
              "fastställt av")
# What a decision bulletin's head line says between the body and the date ("Stadsfullmäktiges beslut 25.5.").
BULLETIN_WORDS = ("sammanträdes beslut", "beslut", "sammanträde", "sammanträder", "möte")
# Words right before a meeting's date in running text ("vid mötet 2.10.2017").
MEETING_DATE_CUES = ("vid mötet", "vid sitt möte", "vid sammanträdet", "vid sitt sammanträde", "sammanträdde",
                     "sammanträder", "sammanträde")
# Words before a date that is not the meeting's: the notice's issue, posting or checking.
NOTICE_DATE_CUES = ("utfärdad", "justerat", "justerad", "justering", "publicerad", "sätts upp", "tas ned")
# A body's name may start with the municipality's kind: "stadsstyrelsen" ~ "kommunstyrelsen" ~ "styrelsen".
BODY_NAME_PREFIXES = ("stads", "kommun")
# Labels before a case (diary) number: "Dnr KS 2023/145", "Diarienummer 2023:12".
CASE_NUMBER_LABELS = ("Dnr", "Diarienummer")
# Lines that say what kind of paper this is, not what it says (regex fragments; a whole line, never a title).
PAPER_CHROME = (r"(?:sammanträdes)?protokoll", r"föredragningslista", r"kallelse", r"protokollsutdrag",
                r"utdrag ur protokoll", r"justerat", r"(?:protokoll|föredragningslista)\s+(?:nro\s+|nr\s+)?\d{1,3}(?:/\d{4})?",
                r"offentlig", r"beslutshistorik", r"tidigare behandling")
# The meeting place's label: never the matter's title.
MEETING_PLACE_LABELS = ("sammanträdesplats", "mötesplats")

# --- the answer side: words that shape a question, approval-only decisions, vote tallies, a matter's path ---
# Words that shape a question rather than say what it is about (assistant/reading/coverage.py).
SCAFFOLD_WORDS = frozenset("""
    vad vem vilka vilken vilket när var hur varför är finns enligt dokument dokumenten nämns någon
    något och eller med om den det de som att till från för har hade vid under efter över sig sin sitt
    hur många mycket beslut besluta beslutade beslöt ansvara ansvarar ansvarig äga
    """.split())
# A decision that only approves the proposal ("Förslaget godkändes."): the proposal is what was decided
# (whole-line regex fragments, assistant/composition/framing.py).
APPROVES_PROPOSAL_ONLY = (r"(\S+\s+)?(förslaget|förslag till beslut)?\s*(godkändes|godkänns|godkänt)\b[^.]*\.?",
                          r"(\S+\s+)?(beslutar|beslöt|besluter)?\s*(enligt förslaget|bifaller förslaget"
                          r"|i enlighet med förslaget)\.?",
                          r"beslutet är (fattat )?enligt förslaget\.?")
# A vote's tally in words ("29 ja", "22 mot"); "29–22" needs no words.
VOTE_TALLY = (r"\d{1,3}\s+ja\b", r"\d{1,3} mot\b")
# Word beginnings that ask for a matter's path through the bodies, not one decision (the app's timeline).
PATH_WORDS = ("behandl", "gång")
# A hyphen that ends a word before these is part of a shared compound ("sosiaali- ja terveystoimi",
# "barn- och utbildningsnämnden"), not a line's hyphenation.
COMPOUND_CONJUNCTIONS = ("och", "eller", "samt")

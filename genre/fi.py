"""Finnish: the words of Finnish municipal minutes (kunnanhallitus, Päätösehdotus, Hyväksyttiin …).

Data only; `genre/__init__.py` builds the patterns and the typed API from it. Regex fragments are
matched case-insensitively unless a comment says otherwise.
"""

from __future__ import annotations

# (name as written, English name, class): the class is what a question about "the council" matches.
BODIES: tuple[tuple[str, str, str], ...] = (
    ("kunnanvaltuusto", "municipal council", "council"),
    ("kaupunginvaltuusto", "city council", "council"),
    ("valtuusto", "council", "council"),
    ("aluevaltuusto", "regional council (welfare region)", "council"),
    ("seutuvaltuusto", "regional council", "council"),
    ("kunnanhallitus", "municipal board", "board"),
    ("kaupunginhallitus", "city board", "board"),
    ("hallitus", "board", "board"),
    ("aluehallitus", "regional board (welfare region)", "board"),
    ("seutuhallitus", "regional board", "board"),
    ("sivistyslautakunta", "education committee", "committee"),
    ("tekninen lautakunta", "technical committee", "committee"),
    ("ympäristölautakunta", "environment committee", "committee"),
    ("perusturvalautakunta", "basic services committee", "committee"),
    ("hyvinvointilautakunta", "welfare committee", "committee"),
    ("lautakunta", "committee", "committee"),
    ("jaosto", "section", "section"),
    ("henkilöstöjaosto", "personnel section", "section"),
    ("johtoryhmä", "management team", "management"),
    ("toimikunta", "commission", "committee"),
    ("valiokunta", "committee", "committee"),
    ("neuvosto", "council (advisory)", "advisory"),
    ("nuorisovaltuusto", "youth council", "advisory"),
    ("vanhusneuvosto", "council for the elderly", "advisory"),
    ("ohjausryhmä", "steering group", "management"),
)
# The last word of a body's name ("Tekninen lautakunta", "Kaupunginhallitus").
BODY_HEADS = ("valtuusto", "hallitus", "lautakunta", "jaosto", "johtoryhmä", "toimikunta", "valiokunta",
              "neuvosto", "ohjausryhmä")
# Abbreviations in item headers; "*" = the document decides between kaupungin- and kunnan-.
ABBREVIATIONS = {
    "kh": "*hallitus", "khall": "*hallitus", "khal": "*hallitus", "kha": "*hallitus",
    "kv": "*valtuusto", "kval": "*valtuusto", "kvalt": "*valtuusto", "kvsto": "*valtuusto",
    "sh": "Seutuhallitus", "sv": "Seutuvaltuusto",
    "sivla": "Sivistyslautakunta", "sivltk": "Sivistyslautakunta", "tela": "Tekninen lautakunta",
    "tekla": "Tekninen lautakunta", "ympla": "Ympäristölautakunta",
}
# Present tense verbs after a body's name that open a proposal ("Kunnanhallitus esittää …").
PROPOSAL_VERBS = ("esittää", "päättää", "hyväksyy", "merkitsee", "antaa", "valitsee", "nimeää", "myöntää",
                  "oikeuttaa", "kehottaa", "lähettää", "palauttaa", "vahvistaa", "kumoaa", "hylkää", "pyytää",
                  "ehdottaa", "päättänee")

# Section headings: kind → label alternatives (regex). Proposal and decision labels may be qualified by
# a genitive ("Kunnanjohtajan päätösehdotus", "Kaupunginhallituksen päätös").
HEADINGS: dict[str, tuple[str, ...]] = {
    "title": ("asia", "otsikko"),
    "preparer": (r"valmistelijat?(?:\s*(?:/|ja)\s*lisätiedot)?", "valmistelu"),
    "presenter": ("esittelijä", "esittelijät"),
    "background": ("selostus", "asiaselostus", "perustelut", "asian tausta", "tausta", "tiivistelmä",
                   "yhteenveto"),
    "proposal": ("päätösehdotus", "päätösesitys", "ehdotus", "esitys"),
    "handling": ("käsittely", "kokouskäsittely", "äänestys", "äänestystulos"),
    "motions": (r"yrkanden?", "muutosehdotukset"),
    "decision": ("päätös",),
    "conflict": ("esteellisyys", "esteelliset", "esteellinen", "esteellisyydet"),
    "reservation": ("eriävät mielipiteet", "eriävä mielipide"),
    "attachments": ("liitteet", r"(?:pöytäkirjan |esityslistan )?liite", "oheismateriaali"),
    "distribution": (r"tiedoksi(?: ja toimenpiteitä varten)?", "toimeenpano", "täytäntöönpano", "jakelu",
                     "päätöksestä tiedottaminen"),
    "appeal": (r"muutoksenhaku", r"muutoksenhakuohjeet?", "oikaisuvaatimusohje", "valitusosoitus",
               "muutoksenhakukielto"),
    "contact": ("lisätiedot", "lisätietoja", "lisätietojen antaja", "yhteystiedot"),
}

# Outcome phrases, per resolution kind (see ingest/records.RESOLUTIONS).
RESOLUTIONS: dict[str, tuple[str, ...]] = {
    "returned": (r"palautet(?:tiin|aan)\b", r"palautti\b", r"palauttaa\b.*valmisteltavaksi"),
    "tabled": (r"pantiin pöydälle", r"pannaan pöydälle", r"jätettiin pöydälle", r"panna asian pöydälle"),
    "withdrawn": (r"poistettiin esityslistalta", r"peruutti esityksensä"),
    "rejected": (r"\bhylättiin\b", r"\bhylkäsi\b", r"\bhylätään\b"),
    "election": (r"\bvalittiin\b", r"\bvalitsi\b", r"\bvalitaan\b", r"\bnimesi\b"),
    "amended": (r"muutettuna", r"muutetussa muodossa", r"seuraavin muutoksin", r"sillä muutoksella",
                r"seuraavalla lisäyksellä", r"muutosehdotuksen mukaisesti", r"vastaehdotuksen",
                r"muutettu päätösehdotus hyväksyttiin"),
    "referred": (r"päätti lähettää", r"lähetetään\b.*(?:käsiteltäväksi|valmisteltavaksi)", r"päätti siirtää"),
    "noted": (r"merkittiin tiedoksi", r"merkitään tiedoksi", r"merkitsi\b.*tiedoksi",
              r"merkitsee\b.*tiedoksi"),
}
APPROVED = (r"hyväksyttiin", r"hyväksyi", r"hyväksytään", r"\bhyväksyy\b", r"ehdotuksen mukaisesti",
            r"\besittää\b", r"\bpäätti\b", r"\bpäättää\b")
UNANIMOUS = (r"yksimielisesti",)
VOTE = (r"äänin \d+\s*[-–—]\s*\d+", r"äänestyksen jälkeen", r"äänestyksessä", r"suoritettiin äänestys",
        r"\bjaa-ään", r"\bäänestettiin\b")
NO_VOTE = (r"ilman äänestystä",)
# Paragraphs that are a decision without a "Päätös" heading above them (start of the paragraph).
IMPLICIT_DECISION = (r"(?:[\w-]+(?:n|s)\s+)?(?:päätösehdotus|päätösesitys|ehdotus|esitys)\s+hyväksyttiin",
                     "hyväksyttiin", "merkittiin", "palautettiin", "pantiin pöydälle", "hylättiin",
                     "asia palautettiin", "asia pantiin pöydälle")
ADOPTS_PROPOSAL = (r"^(?:\S+\s+)?(?:päätösehdotus|päätösesitys|ehdotus|esitys)\s+hyväksyttiin",
                   r"^hyväksyttiin\b", r"hyväksyi\b.*(?:päätösehdotuksen|ehdotuksen)", r"ehdotuksen mukaisesti")

# Person titles (word endings): a presenter's or preparer's role.
ROLE_TITLES = ("johtaja", "päällikkö", "sihteeri", "lakimies", "asiantuntija", "koordinaattori", "suunnittelija",
               "insinööri", "tarkastaja", "neuvos", "ohjaaja", "esimies")
# Roles at a meeting, as the cover page writes them.
MEETING_ROLES = {
    "chair": ("puheenjohtaja", "pj"),
    "vice_chair": (r"\d\.\s?varapuheenjohtaja", "varapuheenjohtaja", r"\d\.\s?vpj", "vpj"),
    "secretary": ("pöytäkirjanpitäjä", "sihteeri", "kunnansihteeri"),
    "presenter": ("esittelijä",),
    "checker": ("pöytäkirjantarkastaja", "pöytäkirjantarkastajat"),
}
# Cover page labels → field (see genre.CoverField).
COVER_LABELS: dict[str, tuple[str, ...]] = {
    "organ": ("toimielin",),
    "time": ("kokousaika", "aika", "kokouspäivä"),
    "place": ("kokouspaikka", "paikka"),
    "items": ("käsitellyt asiat", "asiat", r"pykälät"),
    "present": ("saapuvilla olleet jäsenet", "läsnä", "läsnä olleet jäsenet", "jäsenet"),
    "absent": ("poissa", "poissa olleet jäsenet"),
    "others": ("muut saapuvilla olleet", "muut läsnäolijat", "muu", "muut"),
    "signatures": ("allekirjoitukset", "allekirjoitus"),
    "checking": ("pöytäkirjan tarkastus", "pöytäkirjantarkastus", "pöytäkirjantarkastajat"),
    "published": (r"pöytäkirja (?:on )?(?:yleisesti )?nähtävänä", r"pöytäkirja (?:on )?(?:yleisesti )?nähtävillä",
                  "nähtävilläolo", r"pöytäkirja yleisesti nähtävillä", r"pidetään yleisesti nähtävänä"),
}
CONFLICT_PHRASES = (r"ilmoitti olevansa esteellinen", r"ilmoitti esteellisyydestään", r"oli esteellinen",
                    r"on esteellinen", r"jäävasi itsensä", r"jääväsi itsensä", r"poistui esteellisenä")
AGENDA_WORDS = ("esityslista", "kokouskutsu", "kutsu")
PROTOCOL_WORDS = ("pöytäkirja", "kokouspöytäkirja", "ote pöytäkirjasta", "pöytäkirjanote")
CONTENTS_WORDS = ("sisällysluettelo", "käsitellyt asiat", "asialista")
# The word for "page" in running headers ("Sivu 3", "Sivu 3 / 12").
PAGE_WORDS = ("sivu",)
# Lines of publishing systems' page chrome (whole line, case-insensitive).
WEB_CHROME = (r"dynasty tietopalvelu\b.*", r"rss-linkki", r"kokousasiat:?", r"kokoukset:?",
              r"edellinen asia.*", r"seuraava asia.*", r"muutoksenhakuohje", r"kokousasia pdf-muodossa",
              r"pöytäkirja on tarkastettu", r"olet täällä", r"tietoa kaupungista", r"ajankohtaista",
              r"< takaisin", r"takaisin", r"siirry sisältöön", r"koko: px", r"aloita esitys sivulta:?",
              r"download .*", r"transkriptio", r"jaa(?: sivu)?", r"tulosta", r"asialla on uudempia käsittelyjä",
              r"kuuntele", r"sivua? päivitetty\b.*", r"olet tässä", r"hyppää (?:pää)?sisältöön", r"mainos(?: \(.{0,40}\))?",
              r"kokousasian teksti")
STOPWORDS = frozenset(
    "ja tai on ei se ne että jos kun kuin mutta myös sekä eli joka jotka mikä mitkä mitä kuka ketkä "
    "missä milloin miten miksi oli olla ovat olivat ole tämä tuo nämä ne siitä sen sitä niin vain "
    "jo vielä ovat voi voidaan kanssa mukaan osalta sekä the".split()
)
# Words that mark a short text as Finnish (language detection of one-line questions).
LANGUAGE_MARKERS = frozenset(
    "ja on ei kuka ketkä mitä mikä mitkä mikä että se ne ovat oli olivat tai kun jos mutta myös sekä "
    "miten milloin missä mistä mihin miksi kenen keneltä kuinka kumpi onko oliko ole olla tämä tämän "
    "tässä nämä joka jotka jonka mukaan kanssa vuonna vuoden asti kaikki koska vai sitten päätti "
    "hyväksyi hyväksyttiin vastaa vastaako vastuussa millainen millaisia mitkä paljonko".split()
)
MONTHS = ("tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu", "elokuu",
          "syyskuu", "lokakuu", "marraskuu", "joulukuu")

# --- questions: the words by which people ask (regex fragments, see assistant/question/analysis.py) -------------
# Answer types a question asks for, first match wins in assistant/question/analysis.py's order.
QUESTION_TYPE_CUES: dict[str, tuple[str, ...]] = {
    "owner": (r"\bkuka\b.*\b(vastaa|vastasi|vastuussa|omista|johta|koordinoi)", r"\bvastuu(taho|henkilö|lla)",
              r"\bkenen vastuulla", r"\bomistaja", r"\bkoordinoinnista"),
    "date": (r"\bmilloin\b", r"\bminä päivänä", r"\bmihin mennessä"),
    "decision": (r"\bpäätt(i|ivät|änyt|ävät)\b", r"\bpäätettiin", r"\bpäätö(s|ksen|kse)", r"\bhyväksy(i|ttiin)",
                 r"\bkäsitteli\b", r"\bsuhtautui\b", r"\bmiten kävi\b", r"\bratkais(i|tiin)\b", r"\bpalautettiin\b",
                 r"\bhylättiin\b", r"\bhyväksyttiinkö\b", r"\bpantiinko\b"),
    "list": (r"\bmitkä\b", r"\bluettele", r"\bmitä (teemoja|arvoja|toimenpiteitä|tavoitteita)"),
}
# Answer types the first-match cues above lack: "kuka" wants a person, "aikataulu" a period.
ANSWER_TYPE_CUES: dict[str, tuple[str, ...]] = {
    "person": (r"\bkuka\b", r"\bketkä\b", r"\bkenet\b", r"\bkeneltä\b", r"puheenjohtaj", r"sihteeri", r"eriävä",
               r"äänesti vastaan", r"valmisteli"),
    "date": (r"\bmille vuosille", r"\bajanjakso", r"\bkausi", r"\baikataulu"),
}
# Section kinds a question's words point at ("kuka valmisteli" → the preparer line, not an owner).
SECTION_CUES: dict[str, tuple[str, ...]] = {
    "preparer": (r"\bkuka\b.*\bvalmisteli", r"valmistelij"),
    "presenter": (r"esittel",),
    "attachments": (r"liite", r"liitteet"),
    "appeal": (r"muutoksenhak", r"oikaisuvaatim", r"valitus"),
    "distribution": (r"tiedoksi\b",),
    "contact": (r"lisätiedot", r"lisätietoja", r"yhteystie"),
    "reservation": (r"eriävä", r"äänesti vastaan", r"äänestivät vastaan"),
}
# How many / how much: an answer without a number does not answer it.
QUANTITY_CUES = (r"\bkuinka (monta|paljon|moni)", r"\bmontako\b", r"\bpaljonko\b", r"\bmaksaa\b", r"\bhinta\b",
                 r"\bmaksa(?:isi|vat|ivat|nut)\b", r"\bkustannu\w*", r"\bhinna(?:n|ksi)\b", r"\bmääräraha\w*",
                 r"\bsumma\w*")  # how many, how much, what it costs
# Openings of a yes/no question ("Hyväksyikö …"): a decision is asked.
YES_NO_OPENINGS = (r"\w+(?:ko|kö)",)
# Word stems of body classes a question names ("what did the council decide" → valtuusto).
BODY_CLASS_CUES: dict[str, tuple[str, ...]] = {
    "regional_council": (r"seutuvaltuust", r"maakuntavaltuust"),
    "regional_board": (r"seutuhallit", r"maakuntahallit"),
    "council": (r"valtuust", r"\bKV\b", r"\bKVALT\b"),
    "board": (r"hallit", r"\bKH\b", r"\bKHALL\b"),
    "committee": (r"lautakun", r"jaost"),
    "management": (r"johtoryhm",),
}
# The head of a committee's name; the word before it names the committee ("tekninen lautakunta").
COMMITTEE_HEADS = ("lautakun", "jaost", "johtokun")
# Words before a committee head that do not name one committee among many.
GENERIC_BODY_WORDS = frozenset({"mitä", "kun", "ja", "kaupungin", "kunnan"})
# Endings of an adjective that names a committee as a word of its own ("tekninen", "sosiaalinen").
BODY_ADJECTIVE_ENDINGS = ("inen", "llinen", "iset")
# A council initiative or question names a document, not a body: "valtuustoaloite", "valtuustokysymys".
COUNCIL_DOCUMENT_HEADS = ("valtuusto",)
COUNCIL_DOCUMENT_TAILS = ("aloit", "kysymy")

# --- municipality names (ingest/parse/municipality.py) --------------------------------------------------------
# Words after a municipality's name in the genitive: "Kuopion kaupungin", "Kaustisen seudun".
MUNICIPALITY_NOUNS = (
    "kaupunki", "kaupungin", "kaupunkia", "kaupungissa", "kaupungille", "kaupungilla", "kaupungista",
    "kunta", "kunnan", "kuntaa", "kunnassa", "kunnalle", "kunnasta", "seudun", "seutukunnan", "seutukunta",
    "seutu", "kaupunginhallitus", "kaupunginhallituksen", "kaupunginvaltuusto", "kaupunginvaltuuston",
    "kunnanhallitus", "kunnanhallituksen", "kunnanvaltuusto", "kunnanvaltuuston", "kaupunginjohtaja",
    "kunnanjohtaja", "kaupunkistrategia", "kaupunkistrategian", "kuntastrategia", "kaupunkikonserni",
)
# Capitalised words that stand before "kaupungin" at the start of a sentence and name no town.
NOT_MUNICIPALITY_NAMES = frozenset(
    "tämän sen koko oman jokaisen kunkin minkä kyseisen uuden nykyisen suomen euroopan valtion toisen muun "
    "jonkin ison pienen suuren naapurin lähimmän kotikunnan kotikaupungin".split()
)
# Genitive endings → nominative, most specific first, where simplemma has no entry ("Kaustisen" → "Kaustinen").
GENITIVE_ENDINGS = (("sen", "nen"), ("oen", "oki"), ("sken", "ski"), ("hden", "hti"), ("nnan", "nta"),
                    ("nnän", "ntä"), ("ngin", "nki"), ("ngon", "nko"), ("een", "e"), ("n", ""))
# Case endings on a place name's genitive stem in running text ("Porissa", "Seinäjoella", "Vantaalla").
CASE_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi")

# --- what an answer candidate holds (assistant/reading/scoring.py's cue patterns; regex fragments) --------------
CANDIDATE_CUES: dict[str, tuple[str, ...]] = {
    # an owner: "X vastaa", "vastuutaho", "toteuttaja"
    "owner": (r"\bvastaa\b", r"\bvastaavat\b", r"vastannut", r"vastuu", r"omistaja", r"koordinoi", r"\bjohtaa\b",
              r"toteuttaja"),
    # a person's role or title next to a name
    "role": (r"puheenjohtaj", r"sihteeri", r"valmistelij", r"esittelij", r"johtaja", r"päällikkö", r"jäsen",
             r"valtuutettu"),
    # a dissent or a vote against
    "dissent": (r"eriäv", r"vastaan", r"jätti", r"\bei\b"),
    # a date in words: "marraskuussa", "toukokuun", "Q2"
    "date_word": (r"[a-zäö]+kuussa", r"[a-zäö]+kuun", r"q[1-4]"),
    # a finite verb: a line with one is a sentence, not a bare heading (whole words)
    "verb": (r"on", r"ovat", r"oli", r"tuodaan", r"tuo", r"esitetään", r"käsitellään", r"valmistuu"),
}
# The words by which a question asks for one field of a protocol's layout facts (see FACT_FIELDS there).
FACT_FIELD_CUES: dict[str, tuple[str, ...]] = {
    "chair": (r"puheenjohtaj", r"johti\b", r"puhetta"),
    "vice_chair": (r"varapuheenjohtaj",),
    "secretary": (r"sihteeri", r"pöytäkirjanpitäj", r"pöytäkirjaa", r"kirjoitti .*pöytäkirjan"),
    "checkers": (r"tarkast",),
    "absent": (r"poissa", r"puuttui"),
    "present": (r"läsnä", r"paikalla"),
    "others_present": (r"muut läsnä",),
    "meeting_time": (r"milloin .*kokous", r"kokousaika", r"kello", r"\bklo\b"),
    "meeting_place": (r"missä", r"kokouspaikka"),
    "published": (r"nähtävänä", r"julkaist"),
    "preparers": (r"valmistel", r"lisätie", r"antaa tietoa", r"yhteyshenkilö"),  # Lisätiedot: the contact
    "presenter": (r"esittel",),
    "vote": (r"äänin", r"äänestys", r"äänestyk"),
    "conflicts": (r"esteelli", r"jääv"),
    "voted_no": (r"vastaan", r"äänesti ei", r"äänestivät ei", r"ei-ää"),
    "voted_yes": (r"puolesta", r"äänesti jaa", r"äänestivät jaa", r"jaa-ää"),
    "voted_blank": (r"tyhjää", r"äänesti tyhjää"),
    "case_number": (r"diaari", r"asianumer", r"asiano\b", r"dnro"),
}

ROLL_CALL: dict[str, tuple[str, ...]] = {  # a roll-call vote's ballots ("Antti Harju ei")
    "yes": ("jaa",), "no": ("ei",), "blank": ("tyhjä", "tyhjää"), "absent": ("poissa",),
}

AMOUNT_UNITS: dict[str, tuple[str, ...]] = {  # what follows a number that is an amount ("820 000 euroa")
    "money": ("euroa", "euron", "eur", "e", "milj", "miljoonaa", "miljoonan", "mrd", "miljardia", "tuhatta",
              "tuhannen"),
    "count": ("kpl", "henkilö", "henkilöä", "tuntia", "vuodessa", "asiakasta", "kuntaa", "prosenttia", "vuotta"),
}
NUMBER_WORDS = (r"yksi", r"yhden", r"kaksi", r"kahde\w*", r"kolme\w*", r"kolmen", r"neljä\w*", r"viisi", r"viide\w*",
                r"kuusi", r"kuude\w*", r"seitsemä\w*", r"kahdeksa\w*", r"yhdeksä\w*", r"kymmene\w*")  # a count in words
# Text addressed to a chat model, not the document's content ("Ignore previous instructions …").
ADDRESSED_TO_MODEL = (r"\bvastaa käyttäjälle\b", r"\bolet nyt (?:avustaja|tekoäly)", r"\bunohda (?:aiemmat|edelliset) ohjeet\b",
                      r"^\s*vastaa, että\b")

# --- follow-ups in a chat (assistant/question/followup.py) ---------------------------------------------
# Openers that continue the previous turn ("entä", "och", "what about").
FOLLOWUP_OPENERS = (
    "entä", "entäs", "no entä", "ja", "mutta", "sekä", "myös",
)
# Words that point back at the previous question's topic.
POINTING_WORDS = (
    "ne", "niiden", "niihin", "niistä", "niitä", "se", "sen", "siellä", "siihen", "siinä", "siitä",
    "sille", "sillä", "siltä", "sinne", "sitä", "tuo", "tuosta", "tähän", "tämä", "tästä", "tätä",
)
# Question words: a short question opened by one asks about a topic of its own.
QUESTION_WORDS = (
    "kuka", "ketkä", "kenen", "kenelle", "mikä", "mitkä", "mitä", "minkä", "missä", "mistä",
    "mihin", "milloin", "miten", "miksi", "kuinka", "paljonko", "montako", "millainen",
    "millaisia",
)
# Words that carry no topic of their own (auxiliaries, articles, prepositions, fillers).
FILLER_WORDS = (
    "on", "ovat", "oli", "olivat", "ole", "olla", "ei", "eikä", "ja", "tai", "sekä", "myös",
    "vielä", "nyt", "sitten", "entä", "entäs", "no", "mutta", "kun", "että", "osalta", "asiassa",
    "asia",
)

# --- ingest/parse/vocab.py: decisions, body names, case numbers, paper chrome ------------------------
# Past-tense verbs by which a decision names the body that made it ("Kaupunginhallitus päätti …").
DECISION_VERBS = ("päätti", "hyväksyi", "merkitsi", "valitsi", "hylkäsi", "palautti", "myönsi")
# Verbs by which a news item or bulletin says a body met or dealt with matters ("Kaupunginhallitus käsitteli …").
MEETING_VERBS = ("käsitteli", "kokoontui", "keskusteli", "kokoontuu", "käsittelee", "on päättänyt", "on hyväksynyt")
# Words before the body that adopted a strategy or plan ("Hyväksytty kaupunginvaltuustossa 12.6.2017").
ADOPTED_BY = ("hyväksytty", "hyväksynyt")
# What a decision bulletin's head line says between the body and the date ("Kaupunginhallituksen päätökset 6.5.").
BULLETIN_WORDS = ("kokouksen päätökset", "päätökset", "päätöksiä", "päätöstiivistelmä", "kokous", "kokoontuu",
                  "kokoontui", "uutiset")
# Words right before a meeting's date in running text ("kokoontui 6.5.2019", "kokouksessaan 18.5.2020").
MEETING_DATE_CUES = ("kokouksessaan", "kokoontui", "kokoontuu", "kokouksessa")
# Words before a date that is not the meeting's: the minutes' display, posting or checking.
NOTICE_DATE_CUES = ("nähtävänä", "nähtävillä", "tarkastettu", "julkaistu", "lähetetty", "postitettu",
                    "kaupunginvirastossa", "kunnanvirastossa")
# A body's name may start with the municipality's kind: "kaupunginvaltuusto" ~ "kunnanvaltuusto" ~ "valtuusto".
# (town, rural): which one an abbreviation ("KHALL") expands to is read from the document.
BODY_NAME_PREFIXES = ("kaupungin", "kunnan")
MUNICIPALITY_KIND_WORDS = {"town": ("kaupunki",), "rural": (" kunta",)}  # the space keeps "maakunta" out
# Labels before a case (diary) number: "Diaarinumero 32/00.01.02/2025", "Dno KH 2023/145".
CASE_NUMBER_LABELS = ("Dnro", "Dno", "Diaarinumero", "Asianumero", "Asia nro")
# Lines that say what kind of paper this is, not what it says (regex fragments; a whole line, never a title).
PAPER_CHROME = (r"(?:kokous)?pöytäkirja(?:note)?", r"esityslista", r"kokouskutsu", r"ote pöytäkirjasta",
                r"(?:pöytäkirja|esityslista)\s+(?:nro\s+|nr\s+)?\d{1,3}(?:/\d{4})?",
                r"pöytäkirja on tarkastettu(?: ja hyväksytty)?", r"tarkastettu", r"julkinen", r"päätöshistoria",
                r"aiempi käsittely", r"käsittelyhistoria")
# The meeting place's label: never the matter's title.
MEETING_PLACE_LABELS = ("kokouspaikka",)

# --- the answer side: words that shape a question, approval-only decisions, vote tallies, a matter's path ---
# Words that shape a question rather than say what it is about (assistant/reading/coverage.py).
SCAFFOLD_WORDS = frozenset("""
    mikä mitä mitkä kuka ketkä kenen milloin missä miten miksi onko oliko ovatko kerro mainita asiakirja
    asiakirjat dokumentti mukaan mitään jotain ja tai sekä kanssa joka jotka että kun jos ole ei sen siitä
    sitä tämän tässä oli ovat olivat kuinka monta paljon montako paljonko päättää päätös päätti päätettiin
    vastata vastaa vastuu vastuussa omistaa
    """.split())
# A decision that only approves the proposal ("Päätösehdotus hyväksyttiin."): the proposal is what was
# decided (whole-line regex fragments, assistant/composition/framing.py).
APPROVES_PROPOSAL_ONLY = (r"(\S+\s+)?(päätösehdotus|päätösesitys|ehdotus|esitys)?\s*(hyväksyttiin|hyväksytään)\b[^.]*\.?",
                          r"päätös on ehdotuksen mukainen\.?")
# A vote's tally in words ("11 jaa", "2 vastaan"); "11–2" needs no words.
VOTE_TALLY = (r"\d{1,3}\s+(?:ja|jaa)\b", r"\d{1,3} vastaan\b")
# Word beginnings that ask for a matter's path through the bodies, not one decision (the app's timeline).
PATH_WORDS = ("käsittel", "eteni", "vaihe")
# A hyphen that ends a word before these is part of a shared compound ("sosiaali- ja terveystoimi",
# "barn- och utbildningsnämnden"), not a line's hyphenation.
COMPOUND_CONJUNCTIONS = ("ja", "tai", "sekä")

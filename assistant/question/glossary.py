"""Cross-lingual vocabulary of municipal strategy documents and minutes (en | fi | sv).

An English question about a Finnish roadmap shares no words with it; this glossary lets the
keyword side and the support check meet the document in its own language. Terms are lemmas.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

import genre

# One concept a line: English | Finnish | Swedish alternatives, comma-separated.
_GROUPS = """
digital, electronic, online, digitalisation, digitalization, digitization | digi, digitaalinen, digitalisaatio, sähköinen | digital, digitalisering, digitaliseringen, e-förvaltning
strategy | strategia, digistrategia | strategi
roadmap | tiekartta, digitiekartta | färdplan, vägkarta
programme, program, plan | ohjelma, digiohjelma, suunnitelma, toimenpidesuunnitelma | program, digiprogram, plan, handlingsplan
action, measure | toimenpide | åtgärd, insats
goal, objective, target, aim | tavoite, päämäärä | mål, målsättning, syfte
vision | visio | vision
theme, focus | teema, painopiste | tema, tyngdpunkt
value, principle | arvo, periaate | värde, princip
council | valtuusto, kunnanvaltuusto, kaupunginvaltuusto | fullmäktige, kommunfullmäktige, stadsfullmäktige
regional council | seutuvaltuusto | regionfullmäktige
board, executive | hallitus, kunnanhallitus, kaupunginhallitus | styrelse, kommunstyrelse, stadsstyrelse
committee | lautakunta, jaosto | nämnd, utskott
management team | johtoryhmä | ledningsgrupp
decision, decide | päätös, päättää | beslut, besluta
proposal, propose | ehdotus, päätösehdotus, esittää, esitys | förslag, föreslå
approve, adopt, accept | hyväksyä | godkänna, anta, bifalla
reject | hylätä | avslå
responsible, responsibility, owner, own, lead | vastata, vastuu, vastuutaho, vastuuhenkilö, omistaja, johtaa | ansvara, ansvar, ansvarig, äga, leda
coordinate, coordination | koordinoida, koordinointi | samordna, samordning, koordinera
prepare, preparer, preparation | valmistella, valmistelija, valmistelu | bereda, beredare, beredning
present, presenter | esitellä, esittelijä | föredra, föredragande
budget, cost, funding, money, euro | talousarvio, budjetti, määräraha, kustannus, rahoitus, euro | budget, kostnad, finansiering, euro
project | hanke, projekti | projekt
survey, questionnaire | kysely | enkät
workshop | työpaja | verkstad, workshop
staff, personnel, employee | henkilöstö, työntekijä | personal, anställd
resident, citizen, inhabitant | asukas, kuntalainen | invånare, kommuninvånare
service | palvelu | tjänst, service
e-service | verkkopalvelu, asiointi | e-tjänst
municipality | kunta | kommun
city, town | kaupunki | stad
region | seutu, seutukunta, maakunta | region
initiative, motion | aloite, valtuustoaloite | motion, initiativ
meeting | kokous | möte, sammanträde
minutes | pöytäkirja | protokoll
appeal | muutoksenhaku, oikaisuvaatimus, valitus | överklagande, besvär
attachment, appendix | liite | bilaga
fibre, fiber, broadband | kuitu, valokuitu, laajakaista | fiber, bredband
household | kotitalous | hushåll
company, business | yritys | företag
artificial intelligence, ai | tekoäly | ai
skill, competence | taito, osaaminen | färdighet, kompetens
knowledge, information, data | tieto | information, kunskap
year | vuosi | år
phase, stage | vaihe | fas, etapp
second | toinen | andra
first | ensimmäinen | första
consultant, expert | asiantuntija, konsultti | konsult, expert
unanimous, unanimously | yksimielinen, yksimielisesti | enhällig, enhälligt
vote | äänestys, ääni | omröstning, röst
chief information officer, cio | tietohallintojohtaja | it-chef, it-direktör
development director | kehittämisjohtaja | utvecklingsdirektör
mayor, manager | kunnanjohtaja, kaupunginjohtaja | kommundirektör, stadsdirektör
project manager | projektipäällikkö | projektledare
lecturer, speaker | luennoitsija, puhuja | föreläsare, talare
kick-off, launch, start | aloitus, käynnistys, aloittaa | uppstart, start
publish, published | julkaista | publicera
feasibility study, preliminary study, pilot | esiselvitys | förstudie
update | päivittää, päivitys | uppdatera, uppdatering
work | työ, työskentely, strategiatyö | arbete
participate, take part, attend | osallistua | delta
organise, arrange, hold | järjestää | hålla, anordna
send, refer | lähettää | skicka, remittera
note, information | tiedoksi | kännedom
municipal, local | kunnallinen, paikallinen | kommunal, lokal
handle, consider, process, discuss | käsitellä, käsittely | behandla, behandling
approval, adoption | hyväksyntä, hyväksyminen | godkännande, antagande
represent, representative | edustaa, edustaja, varaedustaja | representera, representant
comment, feedback | kommentoida, kommentti | kommentera, kommentar, synpunkt
draft | luonnos | utkast
group, working group, team | ryhmä, työryhmä, digistrategiatyöryhmä | grupp, arbetsgrupp
begin, start, launch | aloittaa, alkaa, käynnistää | börja, inleda, starta
end, finish, conclude | päättyä, loppua | avsluta, sluta
page, website, web page | sivu, verkkosivu | sida, webbsida, hemsida
phone, telephone | puhelin, p | telefon, tfn
university | yliopisto | universitet, mittuniversitet
quarter | neljännes, vuosineljännes | kvartal
sign, signatory, signed | allekirjoittaa, allekirjoittaja | underteckna, undertecknare
tender, competition, procurement | kilpailu, kilpailuttaa | upphandling, upphandla
win | voittaa | vinna
support, aid, grant | tuki, avustus | stöd, bidrag
fund | rahasto | fond
case number, diary number, record number | diaarinumero, asianumero | diarienummer, dnr
participant | osallistuja | deltagare
employee survey, staff survey | henkilöstökysely | personalenkät
implementation, execute, implement | toimeenpano, toteuttaa, toteutus | verkställighet, verkställa, genomföra
help, assist | apu, avuksi | hjälp
sector, department | toimiala, palvelualue | sektor, förvaltning
subsidiary, company group | konserni, tytäryhtiö | bolag, stadskoncern
use, usage | käyttö, käyttää | användning, använda
guideline, guidelines, instruction, policy | ohje, ohjeistus, linjaus | riktlinje, anvisning, policy
training, education, course | koulutus, kouluttaa | utbildning, utbilda, kurs
open data | avoin data | öppna data, öppen data
chatbot | chatbot, chattibotti | chattbot
customer service | asiakaspalvelu | kundtjänst
library | kirjasto | bibliotek, stadsbibliotek
service point | palvelupiste, asiointipiste | servicepunkt
guidance, advice, help desk | opastus, neuvonta, digituki | handledning, rådgivning, digitalt stöd
share, percentage, proportion, percent | osuus, prosentti | andel, procent
report, reporting | raportoida, raportti | rapportera, rapport, redovisa
director, head, chief | johtaja, päällikkö | direktör, chef
monitoring, follow-up, evaluation | seuranta, arviointi | uppföljning, utvärdering
archive | arkisto | arkiv, e-arkiv
website, web service, online service | verkkosivusto, verkkopalvelu, verkkosivut | webbplats, webbtjänst, webbsida
procurement, purchase, acquisition | hankinta, hankkia | upphandling, upphandla, anskaffning
offer, bid, tender | tarjous | anbud
price, cost | hinta, kustannus, maksaa | pris, kostnad, kosta
chair, chairperson | puheenjohtaja | ordförande
cooperation, collaboration, joint | yhteistyö, yhteinen | samarbete, samverkan, gemensam
planning | suunnittelu, suunnitella | planering, planera
application | hakemus | ansökan
permit | lupa | tillstånd
early childhood education | varhaiskasvatus | småbarnspedagogik
building control | rakennusvalvonta | byggnadstillsyn
booking, appointment | ajanvaraus | tidsbokning
""".strip()


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    """lemma → every lemma of its concept, in all three languages."""
    table: dict[str, set[str]] = {}
    for line in _GROUPS.splitlines():
        terms: set[str] = set()
        for lang, part in zip(("en", "fi", "sv"), line.split("|"), strict=True):
            for term in (t.strip().lower() for t in part.split(",")):
                if term:
                    terms.add(term)
                    if " " not in term:
                        terms.add(simplemma.lemmatize(term, lang=lang).lower())
        for term in terms:
            table.setdefault(term, set()).update(terms)
    for name, names in _places().items():  # the bilingual place names, as the gazetteer reads them
        table.setdefault(name, set()).update(names)
    return {k: frozenset(v) for k, v in table.items()}


def _forms(name: str, lang: str) -> set[str]:
    """A name as the keyword side meets it: lower case, its genitive ("porin", "brahestads": minutes
    write "Porin kaupunginvaltuusto", "Vasas stadsfullmäktige") and, for "S:t Karins", the word a
    tokenizer keeps ("karins"). The lemmatiser's own lemma of a name is left out: it is often a common
    word ("Hyvinge" → "hyvin", "Jakobstad" → "jako", "Tammisaari" → "tammi")."""
    low = " ".join(name.lower().split())
    forms = {low}
    if low.startswith("s:t "):
        forms.add(low[4:])
    if " " not in low:
        if lang == "fi" and low[-1] in "aeiouyäö":
            forms.add(low + "n")
        if lang == "sv" and low[-1] not in "sxz":
            forms.add(low + "s")
    return forms


@lru_cache(maxsize=1)
def _places() -> dict[str, frozenset[str]]:
    """place name or form → every name and form of its place (the gazetteer, genre/places.py, not a
    translation of content words)."""
    table: dict[str, set[str]] = {}
    for place in genre.gazetteer():
        names = _forms(place.finnish, "fi") | _forms(place.swedish, "sv")
        for name in names:
            table.setdefault(name, set()).update(names)
    return {k: frozenset(v) for k, v in table.items()}


_CASE_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi")


def _inflected_place(word: str) -> frozenset[str]:
    """The names of the place an inflected word names, where the lemmatiser gave no place: a Swedish
    genitive ("mariehamns"), a Finnish genitive the genre's endings undo ("kaustisen" → "kaustinen") or
    a Finnish case ending on the genitive stem ("porissa", "seinäjoella", "vantaalla")."""
    table = _places()
    candidates = [word[:-1]] if word.endswith("s") else []
    for ending in _CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stem = word[: -len(ending)]
            candidates += [stem, stem + "n"]
    for candidate in [word, *candidates]:
        if candidate in table:
            return table[candidate]
        for genitive, nominative in genre.genitive_endings("fi"):
            if candidate.endswith(genitive) and len(candidate) > len(genitive) + 1:
                base = candidate[: -len(genitive)] + nominative
                if base in table:
                    return table[base]
    return frozenset()


def place_names(lemma: str) -> frozenset[str]:
    """The lemma and, for a place the gazetteer knows, its names in both languages ("åbo" → turku,
    "raahen" → brahestad): the answer side may use this for the names a question names; it never
    borrows the glossary's content words."""
    lemma = lemma.lower()
    names = _places().get(lemma)
    if names is None and len(lemma) >= 4:
        names = _inflected_place(lemma)
    return (names or frozenset()) | {lemma}


@lru_cache(maxsize=1)
def _long_keys() -> tuple[str, ...]:
    return tuple(k for k in _index() if len(k) >= 5 and " " not in k)


def known(lemma: str) -> bool:
    return lemma.lower() in _index()


@lru_cache(maxsize=1)
def phrases() -> tuple[str, ...]:
    """Multi-word glossary terms ("open data", "öppna data"), longest first."""
    return tuple(sorted((k for k in _index() if " " in k), key=len, reverse=True))


def expand(lemma: str) -> frozenset[str]:
    """The lemma and its translations.

    A compound the glossary does not list ("digitaliseringsfärdplan") gets the translations of
    the glossary words inside it ("digitalisering", "färdplan").
    """
    lemma = lemma.lower()
    table = _index()
    if lemma in table:
        return table[lemma] | {lemma}
    out = {lemma}
    if len(lemma) >= 8:
        for key in _long_keys():
            if key in lemma:
                out |= table[key]
    return frozenset(out)


@lru_cache(maxsize=1)
def english_names() -> dict[str, str]:
    """Finnish and Swedish terms of the groups above (longer than five letters) → the group's first
    English word: the gloss an English asker gets for a role title (tietohallintojohtaja → chief
    information officer)."""
    table: dict[str, str] = {}
    for line in _GROUPS.splitlines():
        en, fi, sv = (part.strip() for part in line.split("|"))
        english = en.split(",")[0].strip()
        for term in (t.strip().lower() for t in f"{fi},{sv}".split(",")):
            if len(term) > 5:
                table[term] = english
    return table

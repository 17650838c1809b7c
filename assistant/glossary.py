"""Cross-lingual vocabulary of municipal strategy documents and minutes (en | fi | sv).

An English question about a Finnish roadmap shares no words with it; this glossary lets the
keyword side and the support check meet the document in its own language. Terms are lemmas.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

# One concept a line: English | Finnish | Swedish alternatives, comma-separated.
_GROUPS = """
digital, digitalisation, digitalization, digitization, digitalisation | digi, digitaalinen, digitalisaatio, sähköinen | digital, digitalisering, digitaliseringen, e-förvaltning
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
    return {k: frozenset(v) for k, v in table.items()}


def expand(lemma: str) -> frozenset[str]:
    """The lemma and its translations (empty expansion for words the glossary does not know)."""
    return _index().get(lemma.lower(), frozenset()) | {lemma.lower()}

"""Synthetic Finnish and Swedish municipal minutes and strategy documents, for scale benchmarks.

Why: the real corpus is five documents; latency and ingest cost only show at thousands of minutes
items. The text follows the layouts the parser knows (tests/data): minutes with §, body, meeting date,
case number, preparer, background, proposal and decision; strategy programmes with numbered headings
and action tables naming an owner. Subjects, names, amounts, places and sentence order vary with a
seeded RNG so that BM25 and dense scores are not degenerate, and the same seed gives the same files.

    python benchmarks/synth.py OUT_DIR --chunks 10000 [--seed 1]

About 20% of the files are strategy programmes, the rest minutes; two thirds Finnish, one third Swedish.
The chunk count is a target: the real count is what `strategy-chat ingest` reports (within ~15%).
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

# Measured on this generator's output with the default chunker (max 400 tokens).
CHUNKS_PER_FI_MINUTES_ITEM = 6.3
CHUNKS_PER_SV_MINUTES_ITEM = 6.0
CHUNKS_PER_STRATEGY = 13.0

FI_TOWNS = [
    ("Kuopio", "Kuopion"), ("Oulu", "Oulun"), ("Pori", "Porin"), ("Vaasa", "Vaasan"), ("Joensuu", "Joensuun"),
    ("Kajaani", "Kajaanin"), ("Kotka", "Kotkan"), ("Hamina", "Haminan"), ("Rauma", "Rauman"),
    ("Salo", "Salon"), ("Kokkola", "Kokkolan"), ("Mikkeli", "Mikkelin"), ("Savonlinna", "Savonlinnan"),
    ("Iisalmi", "Iisalmen"), ("Raahe", "Raahen"), ("Imatra", "Imatran"), ("Kemi", "Kemin"),
    ("Tornio", "Tornion"), ("Lohja", "Lohjan"), ("Hyvinkää", "Hyvinkään"),
]
SV_TOWNS = [
    "Östersund", "Umeå", "Luleå", "Sundsvall", "Bräcke", "Kramfors", "Härnösand", "Piteå", "Skellefteå",
    "Örnsköldsvik",
]
FI_BODIES = [
    ("Kaupunginhallitus", "KH"), ("Kaupunginvaltuusto", "KV"), ("Sivistyslautakunta", "SILA"),
    ("Tekninen lautakunta", "TELA"), ("Ympäristölautakunta", "YLA"), ("Elinvoimajaosto", "EJ"),
]
SV_BODIES = ["Kommunstyrelsen", "Kommunfullmäktige", "Barn- och utbildningsnämnden", "Tekniska nämnden",
             "Socialnämnden", "Miljö- och byggnadsnämnden"]

FI_TOPICS = [
    "digitalisaatio-ohjelma", "ilmasto-ohjelma", "hyvinvointisuunnitelma", "palveluverkkoselvitys",
    "investointiohjelma", "liikenneturvallisuussuunnitelma", "kotouttamisohjelma", "elinvoimaohjelma",
    "henkilöstöohjelma", "asunto-ohjelma", "kulttuuristrategia", "liikuntapaikkaohjelma",
    "tietoturvapolitiikka", "hankintastrategia", "omistajapoliittinen linjaus", "kaavoitusohjelma",
    "energiatehokkuussopimus", "varhaiskasvatussuunnitelma", "kouluverkkoselvitys", "nuorisotakuu",
    "vesihuollon kehittämissuunnitelma", "katuvalaistuksen saneeraus", "kiertotalousohjelma",
    "matkailustrategia", "yritysalueiden kehittämisohjelma", "tietohallinnon tiekartta",
    "sähköisen asioinnin kehittämisohjelma", "tekoälyn käyttöperiaatteet", "avoimen datan linjaus",
    "ikäohjelma", "lasten ja nuorten hyvinvointisuunnitelma", "joukkoliikennesuunnitelma",
    "pyöräilyn edistämisohjelma", "viheraluesuunnitelma", "kirjastostrategia", "talousarvion muutos",
    "toimitilaohjelma", "osallisuusohjelma", "valmiussuunnitelma", "riskienhallintapolitiikka",
]
FI_QUALIFIERS = [
    "vuosille 2025–2028", "päivitys", "toimeenpanosuunnitelma", "väliraportti", "loppuraportti",
    "tarkistaminen", "hyväksyminen", "seurantaraportti", "lausunto", "arviointi",
]
SV_TOPICS = [
    "digitaliseringsstrategi", "klimatstrategi", "översiktsplan", "lokalförsörjningsplan",
    "bredbandsprogram", "näringslivsprogram", "bostadsförsörjningsprogram", "kulturplan", "e-arkiv",
    "informationssäkerhetspolicy", "upphandlingspolicy", "skolans digitala lärmiljö", "trafikstrategi",
    "energiplan", "avfallsplan", "vattenförsörjningsplan", "folkhälsoprogram", "integrationsplan",
    "friluftsplan", "äldreomsorgsplan", "personalpolicy", "investeringsbudget", "tillgänglighetsplan",
    "krisberedskapsplan", "besöksnäringsstrategi", "cykelstrategi", "grönplan", "biblioteksplan",
]
SV_QUALIFIERS = ["2025–2028", "revidering", "uppföljning", "handlingsplan", "antagande", "remissvar",
                 "delrapport", "slutrapport"]
FI_FIRST = ["Anna", "Jari", "Minna", "Timo", "Sanna", "Mikko", "Leena", "Pekka", "Helena", "Arto", "Laura",
            "Jussi", "Maarit", "Kari", "Pauliina", "Harri", "Eija", "Sami", "Riikka", "Tuomas", "Hanna",
            "Ville", "Katja", "Juha", "Outi", "Matti", "Satu", "Antti", "Kirsi", "Heikki"]
FI_LAST = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
           "Järvinen", "Lehtonen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Kallio", "Holopainen",
           "Torvinen", "Aalto", "Lindholm", "Peltola", "Ruotsalainen", "Eskelinen", "Vähäkangas",
           "Kettunen", "Pitkänen", "Rantanen", "Manninen", "Tuominen", "Karjalainen", "Leinonen"]
SV_FIRST = ["Karin", "Erik", "Anna", "Per", "Maria", "Johan", "Eva", "Lars", "Sara", "Anders", "Lena",
            "Mats", "Emma", "Olof", "Ingrid", "Henrik", "Sofia", "Gustav", "Elin", "Magnus"]
SV_LAST = ["Holm", "Berg", "Lind", "Lundqvist", "Sjöberg", "Nyström", "Forsberg", "Åkesson", "Engström",
           "Wikström", "Öberg", "Hedlund", "Sandberg", "Nordin", "Ek", "Strand", "Dahl", "Björk"]
FI_ROLES = ["tietohallintojohtaja", "kehittämispäällikkö", "talousjohtaja", "hallintojohtaja",
            "sivistysjohtaja", "tekninen johtaja", "ympäristöpäällikkö", "kaavoituspäällikkö",
            "hankinta-asiantuntija", "projektipäällikkö", "henkilöstöjohtaja", "elinvoimajohtaja",
            "kirjastotoimenjohtaja", "liikuntapäällikkö", "strategiapäällikkö"]
SV_ROLES = ["digitaliseringschef", "ekonomichef", "kanslichef", "utvecklingsstrateg", "planchef",
            "miljöchef", "skolchef", "HR-chef", "näringslivschef", "projektledare", "upphandlare",
            "kommunarkivarie"]
FI_UNITS = ["tietohallinto", "kaupunkiympäristön toimiala", "sivistyksen toimiala", "konsernihallinto",
            "elinvoimapalvelut", "liikuntapalvelut", "kulttuuripalvelut", "asiakaspalvelukeskus",
            "kirjastopalvelut", "henkilöstöpalvelut", "talouspalvelut", "tilapalvelut"]
SV_UNITS = ["digitaliseringsenheten", "samhällsbyggnadsförvaltningen", "barn- och utbildningsförvaltningen",
            "kommunledningskontoret", "kultur- och fritidsförvaltningen", "kommunarkivet",
            "ekonomiavdelningen", "HR-avdelningen", "näringslivskontoret"]
FI_PLACES = ["keskustan", "satama-alueen", "asemanseudun", "Niittykummun", "Kirkonkylän", "Rantakylän",
             "Peltolan", "Mäntylän", "Koivikon", "Harjun", "Lähteen", "Kalliorinteen"]
SV_PLACES = ["centrum", "hamnområdet", "stationsområdet", "Norrby", "Söderhamn", "Västerås-vägen",
             "Kyrkbyn", "Strandvik", "Björkudden", "Granåsen"]

FI_BACKGROUND = [
    "{topic_c} on valmisteltu yhteistyössä {unit} kanssa, ja valmisteluun osallistuivat myös asukkaat "
    "verkkokyselyn ja {n} työpajan kautta.",
    "Valmistelun pohjana ovat kaupunkistrategian tavoitteet sekä vuonna {year0} tehty nykytilan arviointi, "
    "jonka mukaan {place} palveluissa on eniten kehitettävää.",
    "Kustannusarvio on {amount} euroa vuosina {year}–{year2}, ja se katetaan talousarvion investointiosasta.",
    "Toimeenpanosta vastaa {role} {name} yhdessä {unit} kanssa.",
    "Asiasta on pyydetty lausunnot lautakunnilta ja nuorisovaltuustolta; lausunnoissa korostettiin "
    "{aspect}.",
    "{topic_c} sisältää {n} painopistettä: {aspect}, {aspect2} sekä {aspect3}.",
    "Toteutumista seurataan puolivuosittain, ja {body_gen} raportoidaan {month}ssa {year}.",
    "Aiempi suunnitelma hyväksyttiin {date0}, ja sen toimenpiteistä on toteutunut noin {pct} prosenttia.",
    "Hankkeeseen on haettu valtionavustusta {amount2} euroa, ja päätös avustuksesta odotetaan {month}ssa.",
    "Työryhmän puheenjohtajana toimi {role} {name} ja sihteerinä {name2}.",
    "{place_c} alueella toimenpiteet kohdistuvat erityisesti {aspect}.",
    "Vertailukaupunkeina käytettiin {town2}a ja {town3}a, joissa vastaava ohjelma on jo käytössä.",
]
FI_ASPECTS = ["sähköisten palvelujen saavutettavuutta", "ikäihmisten digitukea", "tiedolla johtamista",
              "henkilöstön osaamista", "hiilineutraaliutta", "kustannustehokkuutta", "asukasosallisuutta",
              "lasten ja nuorten hyvinvointia", "yritysten toimintaedellytyksiä", "tietoturvaa",
              "palveluverkon tarkoituksenmukaisuutta", "joukkoliikenteen kehittämistä",
              "kiinteistöjen energiankulutusta", "kulttuuripalvelujen saatavuutta"]
SV_BACKGROUND = [
    "Förslaget har tagits fram av {unit} tillsammans med förvaltningarna och har varit på remiss hos "
    "nämnderna under våren {year}.",
    "Strategin har {n} fokusområden: {aspect}, {aspect2} samt {aspect3}.",
    "Kostnaden beräknas till {amount} kronor under {year}–{year2} och finansieras inom "
    "kommunstyrelsens ram.",
    "{role_c} {name} ansvarar för att en handlingsplan tas fram årligen.",
    "Kommunfullmäktige gav {date0} kommunstyrelsen i uppdrag att ta fram {topic}.",
    "Uppföljningen visar att ungefär {pct} procent av åtgärderna i den tidigare planen har genomförts.",
    "I {place} har arbetet kommit längst, och erfarenheterna därifrån ska tas tillvara.",
    "Remissvaren betonar särskilt {aspect}.",
    "Arbetsgruppen har letts av {role} {name} med {name2} som sekreterare.",
    "Statsbidrag om {amount2} kronor har sökts, och beslut väntas i {month_sv}.",
]
SV_ASPECTS = ["digitala tjänster för invånare och företag", "datadriven verksamhetsutveckling",
              "digital kompetens hos medarbetarna", "minskade utsläpp", "tillgänglighet", "trygghet",
              "barns och ungas uppväxtvillkor", "ett starkt näringsliv", "informationssäkerhet",
              "en hållbar lokalförsörjning", "kollektivtrafik", "medborgardialog"]
FI_MONTHS = ["tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "elokuu", "syyskuu",
             "lokakuu", "marraskuu", "joulukuu"]
SV_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "augusti", "september", "oktober",
             "november", "december"]
FI_DECISIONS = [
    "Hyväksyttiin.", "Hyväksyttiin yksimielisesti.", "Merkittiin tiedoksi.",
    "Asia palautettiin uudelleen valmisteltavaksi.", "Asia jätettiin pöydälle.",
    "{body} hyväksyi esityksen äänin {votes}.",
]
SV_DECISIONS = [
    "Kommunstyrelsen beslutar enligt förslaget.", "Förslaget godkändes enhälligt.",
    "Ärendet återremitteras för vidare beredning.", "Ärendet bordläggs.",
    "Rapporten antecknas till kännedom.", "Förslaget bifölls med {votes} röster.",
]


@dataclass
class _Ctx:
    rng: random.Random
    lang: str
    town: str
    town_gen: str = ""

    def pick(self, seq):
        return self.rng.choice(seq)

    def name(self) -> str:
        first, last = (FI_FIRST, FI_LAST) if self.lang == "fi" else (SV_FIRST, SV_LAST)
        return f"{self.pick(first)} {self.pick(last)}"

    def date(self, year: int) -> tuple[str, str]:
        """(Finnish d.m.yyyy, ISO) for a random weekday-ish date in `year`."""
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        return f"{day:02d}.{month:02d}.{year}", f"{year}-{month:02d}-{day:02d}"

    def fill(self, template: str, topic: str, body: str) -> str:
        rng = self.rng
        fi = self.lang == "fi"
        aspects = rng.sample(FI_ASPECTS if fi else SV_ASPECTS, 3)
        year = rng.randint(2022, 2027)
        towns = [t[0] for t in FI_TOWNS] if fi else SV_TOWNS
        values = {
            "topic": topic, "topic_c": topic[:1].upper() + topic[1:], "body": body,
            "body_gen": body.lower() + "lle",
            "unit": self.pick(FI_UNITS if fi else SV_UNITS),
            "role": self.pick(FI_ROLES if fi else SV_ROLES),
            "name": self.name(), "name2": self.name(), "n": rng.choice(["kaksi", "kolme", "neljä", "viisi"])
            if fi else rng.choice(["två", "tre", "fyra", "fem"]),
            "year": year, "year0": year - rng.randint(1, 4), "year2": year + rng.randint(1, 4),
            "amount": f"{rng.randint(1, 95) * 10} 000", "amount2": f"{rng.randint(2, 60) * 5} 000",
            "pct": rng.randint(20, 95), "aspect": aspects[0], "aspect2": aspects[1], "aspect3": aspects[2],
            "month": self.pick(FI_MONTHS), "month_sv": self.pick(SV_MONTHS),
            "date0": self.date(year - 1)[0 if fi else 1],
            "place": self.pick(FI_PLACES if fi else SV_PLACES),
            "town2": self.pick(towns), "town3": self.pick(towns),
            "votes": f"{rng.randint(26, 40)}–{rng.randint(5, 25)}",
        }
        values["role_c"] = str(values["role"])[:1].upper() + str(values["role"])[1:]
        values["place_c"] = str(values["place"])[:1].upper() + str(values["place"])[1:]
        return template.format(**values)


def _fi_minutes(ctx: _Ctx, items: int, file_no: int) -> str:
    rng = ctx.rng
    body, abbr = ctx.pick(FI_BODIES)
    year = rng.randint(2022, 2025)
    date, _ = ctx.date(year)
    out = [f"{ctx.town_gen} kaupunki", body, "Pöytäkirja", "",
           f"Kokousaika {date} klo 18.00–{rng.randint(19, 22)}.{rng.choice(['00', '15', '30', '45'])}",
           f"Kokouspaikka {ctx.town_gen} kaupungintalo", ""]
    section_no = rng.randint(1, 200)
    for i in range(items):
        topic = ctx.pick(FI_TOPICS)
        title = f"{ctx.town_gen} kaupungin {topic} {ctx.pick(FI_QUALIFIERS)}"
        case = (f"{rng.randint(100, 3000)}/{rng.randint(0, 14):02d}.0{rng.randint(0, 9)}."
                f"0{rng.randint(0, 9)}/{year - rng.randint(0, 1)}")
        out += [f"§ {section_no + i}", title, case, ""]
        if body == "Kaupunginvaltuusto":
            earlier, _ = ctx.date(year)
            out += [f"Kaupunginhallitus {earlier} § {rng.randint(1, 300)}", ""]
        out += ["Valmistelija", f"{ctx.pick(FI_ROLES)} {ctx.name()}, p. 0{rng.randint(40, 50)} "
                f"{rng.randint(100, 999)} {rng.randint(1000, 9999)}", ""]
        background = rng.sample(FI_BACKGROUND, rng.randint(4, 8))
        paragraphs = [" ".join(ctx.fill(t, topic, body) for t in background[j:j + 2])
                      for j in range(0, len(background), 2)]
        out += ["Selostus", *[p + "\n" for p in paragraphs]]
        out += ["Esittelijä", f"kaupunginjohtaja {ctx.name()}", ""]
        proposal = (f"{body} hyväksyy {topic}n {ctx.pick(FI_QUALIFIERS)} ja sen kustannukset "
                    f"{ctx.fill('{amount}', topic, body)} euroa.")
        out += ["Päätösehdotus", proposal, ""]
        out += ["Päätös", ctx.fill(ctx.pick(FI_DECISIONS), topic, body), ""]
        if rng.random() < 0.3:
            out += ["Tiedoksi", ", ".join(rng.sample(FI_UNITS, 2)), ""]
    return "\n".join(out)


def _sv_minutes(ctx: _Ctx, items: int, file_no: int) -> str:
    rng = ctx.rng
    body = ctx.pick(SV_BODIES)
    year = rng.randint(2022, 2025)
    _, iso = ctx.date(year)
    out = [f"{ctx.town} kommun",
           "SAMMANTRÄDESPROTOKOLL", body, f"Sammanträdesdatum {iso}", ""]
    section_no = rng.randint(1, 200)
    for i in range(items):
        topic = ctx.pick(SV_TOPICS)
        out += [f"§ {section_no + i} {topic[:1].upper() + topic[1:]} {ctx.pick(SV_QUALIFIERS)}",
                f"Dnr KS {year - rng.randint(0, 1)}/{rng.randint(10, 400):03d}", ""]
        background = rng.sample(SV_BACKGROUND, rng.randint(4, 7))
        paragraphs = [" ".join(ctx.fill(t, topic, body) for t in background[j:j + 2])
                      for j in range(0, len(background), 2)]
        out += ["Ärendebeskrivning", *[p + "\n" for p in paragraphs]]
        out += ["Beslutsunderlag", f"Tjänsteskrivelse {ctx.date(year)[1]}", f"Förslag till {topic}", ""]
        out += ["Förslag till beslut", f"{body} beslutar att anta {topic} {ctx.pick(SV_QUALIFIERS)}.", ""]
        if rng.random() < 0.4:
            party = ctx.pick(["S", "M", "C", "V", "KD", "L", "SD", "MP"])
            out += ["Yrkanden", f"{ctx.name()} ({party}) yrkar bifall till förslaget.", ""]
        out += ["Beslut", ctx.fill(ctx.pick(SV_DECISIONS), topic, body), ""]
        out += ["Expedieras till", ctx.pick(SV_UNITS), ""]
    return "\n".join(out)


def _strategy(ctx: _Ctx) -> str:
    """A programme with numbered headings, prose and action tables naming owners (Markdown)."""
    rng = ctx.rng
    fi = ctx.lang == "fi"
    topic = ctx.pick(FI_TOPICS if fi else SV_TOPICS)
    year = rng.randint(2023, 2026)
    date, iso = ctx.date(year - 1)
    if fi:
        title = f"# {ctx.town_gen} kaupungin {topic} {year}–{year + 3}"
        adopted = f"Hyväksytty kaupunginvaltuustossa {date} § {rng.randint(1, 150)}."
        headings = ["Johdanto", "Visio ja tavoitteet", "Painopisteet", "Toimenpiteet",
                    "Seuranta ja arviointi"]
        cols = "| Toimenpide | Vastuutaho | Aikataulu | Mittari |"
        templates = FI_BACKGROUND
    else:
        title = f"# {ctx.town} kommuns {topic} {year}–{year + 3}"
        adopted = f"Antagen av kommunfullmäktige {iso}, § {rng.randint(1, 150)}."
        headings = ["Inledning", "Vision och mål", "Fokusområden", "Åtgärder", "Uppföljning"]
        cols = "| Åtgärd | Ansvarig | Tidplan | Indikator |"
        templates = SV_BACKGROUND
    out = [title, "", adopted, ""]
    for n, heading in enumerate(headings, 1):
        out += [f"## {n} {heading}", ""]
        subsections = rng.randint(2, 4) if n in (3, 4) else 1
        for s in range(1, subsections + 1):
            if subsections > 1:
                aspect = ctx.pick(FI_ASPECTS if fi else SV_ASPECTS)
                out += [f"### {n}.{s} {aspect[:1].upper() + aspect[1:]}", ""]
            for _ in range(rng.randint(1, 3)):
                out += [" ".join(ctx.fill(t, topic, "") for t in rng.sample(templates, 3)), ""]
            if n == 4:
                out += [cols, "|---|---|---|---|"]
                for _ in range(rng.randint(2, 5)):
                    role = ctx.pick(FI_ROLES if fi else SV_ROLES)
                    action = ctx.fill("{aspect2}" if fi else "{aspect}", topic, "")
                    what = (f"Kehitetään {action} {ctx.pick(FI_PLACES)} alueella" if fi
                            else f"Utveckla {action} i {ctx.pick(SV_PLACES)}")
                    out.append(f"| {what} | {role[:1].upper() + role[1:]} {ctx.name()} | "
                               f"{year + rng.randint(0, 3)} | {rng.randint(10, 95)} % |")
                out.append("")
    return "\n".join(out)


def generate(out_dir: Path | str, chunks: int, seed: int = 1) -> dict[str, int]:
    """Write about `chunks` chunks' worth of documents under out_dir/<town>/; returns file counts.

    Files go in one folder per municipality, the way a site would keep them.
    """
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    counts = {"minutes_fi": 0, "minutes_sv": 0, "strategy": 0}
    budget = float(chunks)
    file_no = 0
    while budget > 0:
        file_no += 1
        fi = rng.random() < 2 / 3
        if fi:
            town, gen = rng.choice(FI_TOWNS)
            ctx = _Ctx(rng, "fi", town, gen)
        else:
            ctx = _Ctx(rng, "sv", rng.choice(SV_TOWNS))
        folder = out / ctx.town
        folder.mkdir(exist_ok=True)
        if rng.random() < 0.2:
            text = _strategy(ctx)
            name = f"strategia_{file_no:06d}.md" if fi else f"strategi_{file_no:06d}.md"
            budget -= CHUNKS_PER_STRATEGY
            counts["strategy"] += 1
        else:
            items = rng.randint(4, 16)
            if fi:
                text = _fi_minutes(ctx, items, file_no)
                name = f"poytakirja_{file_no:06d}.txt"
                budget -= items * CHUNKS_PER_FI_MINUTES_ITEM
                counts["minutes_fi"] += 1
            else:
                text = _sv_minutes(ctx, items, file_no)
                name = f"protokoll_{file_no:06d}.txt"
                budget -= items * CHUNKS_PER_SV_MINUTES_ITEM
                counts["minutes_sv"] += 1
        (folder / name).write_text(text + "\n", encoding="utf-8")
    logger.info("wrote %s under %s", counts, out)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--chunks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.out, args.chunks, args.seed))


if __name__ == "__main__":
    main()

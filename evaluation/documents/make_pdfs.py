"""Generate the evaluation's PDF documents (fictional content in the genre's real shapes).

Run once and commit the PDFs: `python evaluation/documents/make_pdfs.py`. The output is deterministic
(fixed creation dates, DejaVu fonts embedded). Each document is a list of blocks so that the layouts
that text extraction meets in real protocols are reproduced on purpose: a cover page with members and
roles, a table of contents, running headers and "Sivu N/M" / "Sida N" footers, long paragraphs that
wrap, tables whose cells wrap over several lines and run over a page break (headings repeated), and,
in the Lovisa protocol, an item header block drawn at the top of each page but written LAST into the
page's text (as some publishing systems do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# Block kinds: ("h", text[, size]) heading, ("p", text) paragraph, ("kv", label, value) a label line,
# ("table", headings, rows, widths) a table, ("page",) a page break, ("gap",) a blank line.
Block = tuple


class Doc(FPDF):
    def __init__(self, header: str, footer: str, top_block: Sequence[str] = ()) -> None:
        super().__init__(format="A4")
        self.header_text, self.footer_text, self.top_block = header, footer, list(top_block)
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(True, margin=20)
        self.set_margins(20, 24, 20)

    def header(self) -> None:
        if self.header_text and not self.top_block:
            self.set_font("DejaVu", "", 8)
            self.set_y(10)
            self.cell(0, 5, self.header_text, align="R")
            self.set_y(24)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, self.footer_text.replace("{n}", str(self.page_no())), align="C")
        if self.top_block:
            # Drawn at the top of the page, but written after the page's content: extraction puts it last.
            self.set_xy(120, 8)
            self.set_font("DejaVu", "", 8)
            for line in self.top_block:
                self.cell(70, 3.6, line.replace("{n}", str(self.page_no())), align="R",
                          new_x="LEFT", new_y="NEXT")


def render(doc: Doc, blocks: Sequence[Block]) -> None:
    doc.add_page()
    for block in blocks:
        kind = block[0]
        if kind == "h":
            size = block[2] if len(block) > 2 else 12
            doc.ln(2)
            doc.set_font("DejaVu", "B", size)
            doc.multi_cell(0, size * 0.5 + 1, block[1], new_x="LMARGIN", new_y="NEXT")
            doc.ln(1)
        elif kind == "p":
            doc.set_font("DejaVu", "", 10)
            doc.multi_cell(0, 5, block[1], new_x="LMARGIN", new_y="NEXT")
            doc.ln(2)
        elif kind == "kv":
            doc.set_font("DejaVu", "B", 10)
            doc.cell(48, 5, block[1])
            doc.set_font("DejaVu", "", 10)
            doc.multi_cell(0, 5, block[2], new_x="LMARGIN", new_y="NEXT")
        elif kind == "table":
            _, headings, rows, widths = block
            doc.set_font("DejaVu", "", 9)
            with doc.table(col_widths=widths, line_height=4.6, text_align="LEFT",
                           headings_style=FontFace(emphasis="BOLD"), padding=1) as table:
                for row in [headings, *rows]:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            doc.ln(3)
        elif kind == "page":
            doc.add_page()
        elif kind == "gap":
            doc.ln(4)
        else:
            raise ValueError(f"unknown block kind {kind!r}")


def save(name: str, split: str, title: str, date: dt.date, doc: Doc, blocks: Sequence[Block]) -> Path:
    doc.set_title(title)
    doc.set_author(title.split(" – ")[0])
    doc.set_creation_date(dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.UTC))
    render(doc, blocks)
    out = HERE / split / name
    doc.output(str(out))
    return out


# ---------------------------------------------------------------------------------------------------
# dev: Hämeenlinna, kaupunginhallituksen pöytäkirja 18.11.2024 (cover page, several items, votes with
# names, a reservation, a returned item, a conflict of interest, a tabled item, a budget table)

HML_TOTALS = [
    ["Toimintatuotot", "78,5", "76,9", "Maksut, vuokrat ja myyntituotot; kasvu johtuu pääosin vesihuollon ja"
     " tilapalvelujen sisäisistä vuokrista"],
    ["Toimintakulut", "-318,2", "-309,6", "Henkilöstökulut 142,0 milj. euroa; palvelujen ostot 101,4 milj."
     " euroa, josta joukkoliikenteen osuus 9,8 milj. euroa"],
    ["Toimintakate", "-239,7", "-232,7", ""],
    ["Verotulot", "201,3", "194,2", "Kunnallisvero 8,86 %, kiinteistövero ja osuus yhteisöverosta"],
    ["Valtionosuudet", "52,8", "51,1", "Sisältää verotulomenetysten kompensaation"],
    ["Rahoitustuotot ja -kulut", "-2,1", "-1,6", "Korkotason arvioitu laskevan vuoden 2025 aikana"],
    ["Vuosikate", "12,3", "11,0", "Vuosikate kattaa poistoista 88 prosenttia"],
    ["Poistot ja arvonalentumiset", "-14,0", "-13,4", ""],
    ["Tilikauden tulos", "-1,7", "-2,4", ""],
]

HML_VOTE_304 = [
    ["Mervi Laaksonen", "jaa"], ["Antti Harju", "ei"], ["Sanna Rautio", "jaa"], ["Eero Koivisto", "ei"],
    ["Heli Mattila", "jaa"], ["Jari Nurmi", "jaa"], ["Outi Peltonen", "jaa"], ["Timo Saarinen", "jaa"],
    ["Kaisa Vuorela", "jaa"], ["Markku Ylinen", "ei"], ["Pia Lehtonen", "jaa"],
]
HML_VOTE_305 = [
    ["Mervi Laaksonen", "jaa"], ["Antti Harju", "ei"], ["Sanna Rautio", "ei"], ["Eero Koivisto", "ei"],
    ["Heli Mattila", "jaa"], ["Jari Nurmi", "ei"], ["Outi Peltonen", "jaa"], ["Timo Saarinen", "jaa"],
    ["Kaisa Vuorela", "jaa"], ["Markku Ylinen", "ei"], ["Pia Lehtonen", "ei"],
]

HAMEENLINNA: list[Block] = [
    ("h", "HÄMEENLINNAN KAUPUNKI", 14),
    ("p", "PÖYTÄKIRJA 18/2024"),
    ("kv", "Toimielin", "Kaupunginhallitus"),
    ("kv", "Kokousaika", "Maanantai 18.11.2024 klo 16.00–18.50"),
    ("kv", "Kokouspaikka", "Kaupungintalo, kaupunginhallituksen kokoushuone, Raatihuoneenkatu 9"),
    ("gap",),
    ("kv", "Saapuvilla olleet", "Mervi Laaksonen, puheenjohtaja"),
    ("kv", "jäsenet", "Antti Harju, 1. varapuheenjohtaja"),
    ("kv", "", "Sanna Rautio, 2. varapuheenjohtaja"),
    ("kv", "", "Eero Koivisto"),
    ("kv", "", "Heli Mattila"),
    ("kv", "", "Jari Nurmi"),
    ("kv", "", "Outi Peltonen"),
    ("kv", "", "Timo Saarinen, poistui § 306 käsittelyn ajaksi"),
    ("kv", "", "Kaisa Vuorela"),
    ("kv", "", "Markku Ylinen"),
    ("kv", "", "Pia Lehtonen, Riitta Hakalan varajäsen"),
    ("kv", "Poissa", "Riitta Hakala"),
    ("gap",),
    ("kv", "Muut saapuvilla", "Liisa Tammi, kaupunginvaltuuston puheenjohtaja"),
    ("kv", "olleet", "Olli Rantanen, kaupunginjohtaja, esittelijä"),
    ("kv", "", "Tiina Aro, hallintojohtaja, pöytäkirjanpitäjä"),
    ("kv", "", "Kalle Virtanen, talousjohtaja, asiantuntija § 304"),
    ("gap",),
    ("kv", "Asiat", "§ 301–307"),
    ("gap",),
    ("kv", "Allekirjoitukset", "Mervi Laaksonen, puheenjohtaja      Tiina Aro, pöytäkirjanpitäjä"),
    ("gap",),
    ("kv", "Pöytäkirjan", "Hämeenlinnassa 20.11.2024"),
    ("kv", "tarkastus", "Heli Mattila      Timo Saarinen"),
    ("gap",),
    ("kv", "Pöytäkirja on", "Hämeenlinnan kaupungin verkkosivuilla 21.11.2024"),
    ("kv", "nähtävänä", ""),
    ("page",),
    ("h", "Sisällysluettelo", 12),
    ("p", "§ 301 Kokouksen laillisuus ja päätösvaltaisuus ........................ 3\n"
          "§ 302 Pöytäkirjantarkastajien valinta ........................ 3\n"
          "§ 303 Esityslistan hyväksyminen ........................ 3\n"
          "§ 304 Talousarvio 2025 ja taloussuunnitelma 2026–2028 ........................ 3\n"
          "§ 305 Tuuloksen koulun toiminnan lakkauttaminen ........................ 4\n"
          "§ 306 Keinusaaren ranta-alueen asemakaavan muutos ........................ 5\n"
          "§ 307 Ikääntyneiden digituen palvelusopimus ........................ 5"),
    ("page",),
    ("h", "§ 301 Kokouksen laillisuus ja päätösvaltaisuus"),
    ("p", "Päätös: Kokous todettiin laillisesti koolle kutsutuksi ja päätösvaltaiseksi."),
    ("h", "§ 302 Pöytäkirjantarkastajien valinta"),
    ("p", "Päätös: Pöytäkirjantarkastajiksi valittiin Heli Mattila ja Timo Saarinen."),
    ("h", "§ 303 Esityslistan hyväksyminen"),
    ("p", "Päätös: Esityslista hyväksyttiin työjärjestykseksi."),
    ("h", "§ 304 Talousarvio 2025 ja taloussuunnitelma 2026–2028"),
    ("p", "HML/1820/02.02.00/2024"),
    ("p", "Valmistelija: talousjohtaja Kalle Virtanen, puh. 03 621 2410, kalle.virtanen@hameenlinna.fi"),
    ("h", "Selostus", 10),
    ("p", "Kaupunginhallitus antoi 10.6.2024 § 142 talousarvion 2025 ja taloussuunnitelman 2026–2028"
          " laadintaohjeen. Palvelualueiden esitykset saatiin syyskuun loppuun mennessä, ja niitä on"
          " sovitettu yhteen kaupunginhallituksen talousseminaarissa 7.10.2024 sekä valtuustoryhmien"
          " puheenjohtajien neuvotteluissa lokakuun aikana. Talousarvion lähtökohtana on, että"
          " kaupungin talous on tasapainossa suunnitelmakauden lopussa vuonna 2028 ja että"
          " asukaskohtainen lainamäärä ei ylitä 4 500 euroa."),
    ("p", "Vuoden 2025 talousarvio on 1,7 miljoonaa euroa alijäämäinen. Tuloveroprosentiksi"
          " esitetään 8,86, joka on sama kuin vuonna 2024. Kiinteistöveroprosentit pysyvät ennallaan."
          " Nettoinvestoinnit ovat 38,6 miljoonaa euroa, joista suurimmat ovat Jukolan koulun"
          " peruskorjaus (9,4 milj. euroa), Hätilän päiväkodin uudisrakennus (5,2 milj. euroa) ja"
          " Kantolan sillan uusiminen (3,8 milj. euroa). Lainakanta kasvaa 11,5 miljoonalla eurolla."),
    ("p", "Tuloslaskelma, milj. euroa (TA 2025, ennuste 2024)"),
    ("table", ["Erä", "TA 2025", "Ennuste 2024", "Huomautukset"], HML_TOTALS, (42, 20, 24, 84)),
    ("p", "Henkilöstösuunnitelman mukaan kaupungin henkilöstön määrä vähenee 24 henkilötyövuodella"
          " eläköitymisten kautta. Palvelualueille ei esitetä uusia vakansseja lukuun ottamatta"
          " kahta koulukuraattorin ja yhtä digituen asiantuntijan tehtävää."),
    ("p", "Esittelijä: kaupunginjohtaja Olli Rantanen"),
    ("h", "Kaupunginjohtajan päätösehdotus", 10),
    ("p", "Kaupunginhallitus esittää kaupunginvaltuustolle, että valtuusto hyväksyy vuoden 2025"
          " talousarvion ja vuosien 2026–2028 taloussuunnitelman liitteen mukaisesti ja vahvistaa"
          " vuoden 2025 tuloveroprosentiksi 8,86."),
    ("h", "Käsittely", 10),
    ("p", "Kalle Virtanen esitteli asiaa ja poistui kokouksesta asiantuntijaosuutensa jälkeen klo 17.05."),
    ("p", "Antti Harju ehdotti Eero Koiviston kannattamana, että tuloveroprosentiksi vahvistetaan 8,61"
          " ja että menoja sopeutetaan vastaavasti 3,1 miljoonalla eurolla hallinnon ja"
          " tilapalvelujen määrärahoista."),
    ("p", "Puheenjohtaja totesi, että on tehty kannatettu muutosehdotus, joten asiasta on äänestettävä."
          " Puheenjohtaja ehdotti, että päätösehdotusta kannattavat äänestävät jaa ja Harjun"
          " ehdotusta kannattavat ei. Äänestystapa hyväksyttiin. Äänestyksessä annettiin 8 jaa-ääntä"
          " ja 3 ei-ääntä seuraavasti:"),
    ("table", ["Jäsen", "Ääni"], HML_VOTE_304, (60, 30)),
    ("p", "Puheenjohtaja totesi, että kaupunginhallitus on äänin 8–3 hyväksynyt kaupunginjohtajan"
          " päätösehdotuksen."),
    ("h", "Päätös", 10),
    ("p", "Kaupunginhallitus päätti äänin 8–3 esittää kaupunginvaltuustolle, että valtuusto hyväksyy"
          " vuoden 2025 talousarvion ja vuosien 2026–2028 taloussuunnitelman ja vahvistaa vuoden 2025"
          " tuloveroprosentiksi 8,86."),
    ("p", "Antti Harju ja Eero Koivisto jättivät päätöksestä eriävän mielipiteen."),
    ("p", "Tiedoksi: kaupunginvaltuusto, palvelualueet, talouspalvelut"),
    ("h", "§ 305 Tuuloksen koulun toiminnan lakkauttaminen"),
    ("p", "HML/2114/12.00.01/2024"),
    ("p", "Kasvun ja oppimisen lautakunta 29.10.2024 § 92"),
    ("p", "Valmistelija: opetusjohtaja Anu Heikkilä, puh. 03 621 3308"),
    ("h", "Selostus", 10),
    ("p", "Tuuloksen koulussa on lukuvuonna 2024–2025 yhteensä 38 oppilasta vuosiluokilla 1–6. Oppilasmäärän"
          " ennustetaan laskevan 26 oppilaaseen vuoteen 2028 mennessä. Koulurakennuksen kuntotutkimuksessa"
          " todettiin kosteusvaurioita, ja rakennuksen korjauskustannusten arvioidaan olevan noin"
          " 2,1 miljoonaa euroa. Kasvun ja oppimisen lautakunta esitti 29.10.2024, että koulun toiminta"
          " lakkautetaan 31.7.2025 ja oppilaat siirtyvät Lammin kouluun 1.8.2025 alkaen. Koulukuljetukset"
          " järjestetään. Arvioitu vuotuinen säästö on 260 000 euroa."),
    ("p", "Tuuloksen kyläyhdistys on jättänyt asiasta 312 henkilön allekirjoittaman adressin, jossa"
          " vastustetaan koulun lakkauttamista."),
    ("p", "Esittelijä: kaupunginjohtaja Olli Rantanen"),
    ("h", "Kaupunginjohtajan päätösehdotus", 10),
    ("p", "Kaupunginhallitus esittää kaupunginvaltuustolle, että Tuuloksen koulun toiminta lakkautetaan"
          " 31.7.2025 ja oppilaat siirretään Lammin kouluun 1.8.2025 alkaen."),
    ("h", "Käsittely", 10),
    ("p", "Sanna Rautio ehdotti Jari Nurmen kannattamana, että asia palautetaan uudelleen"
          " valmisteltavaksi siten, että selvitetään koulun toiminnan jatkaminen väliaikaisissa"
          " tiloissa ja kuullaan Tuuloksen kyläyhdistystä ennen päätöstä."),
    ("p", "Puheenjohtaja totesi, että on tehty kannatettu palautusehdotus, joten ensin on äänestettävä"
          " asian käsittelyn jatkamisesta. Käsittelyn jatkamista kannattavat äänestävät jaa ja"
          " palauttamista kannattavat ei. Äänestyksessä annettiin 5 jaa-ääntä ja 6 ei-ääntä:"),
    ("table", ["Jäsen", "Ääni"], HML_VOTE_305, (60, 30)),
    ("h", "Päätös", 10),
    ("p", "Kaupunginhallitus palautti asian äänin 6–5 uudelleen valmisteltavaksi."),
    ("h", "§ 306 Keinusaaren ranta-alueen asemakaavan muutos"),
    ("p", "HML/905/10.02.03/2023"),
    ("p", "Valmistelija: kaavoituspäällikkö Mikko Järvinen, puh. 03 621 5520"),
    ("h", "Esteellisyys", 10),
    ("p", "Timo Saarinen ilmoitti olevansa esteellinen (yhteisöjäävi, hallintolain 28 § 1 mom. 5 kohta),"
          " koska hän on kaava-alueen maanomistajan Keinusaaren Kehitys Oy:n hallituksen jäsen."
          " Hän poistui kokouksesta asian käsittelyn ajaksi."),
    ("h", "Selostus", 10),
    ("p", "Asemakaavan muutoksella mahdollistetaan Keinusaaren ranta-alueelle noin 420 asunnon"
          " asuinkortteleiden rakentaminen, rantapuisto ja kevyen liikenteen silta Vanajaveden yli"
          " kaupungin keskustaan. Kaavaehdotus oli nähtävillä 2.9.–1.10.2024, ja siitä jätettiin neljä"
          " muistutusta ja kuusi lausuntoa. Muistutusten johdosta ranta-alueen rakennusten"
          " enimmäiskorkeutta on laskettu kahdeksasta kerroksesta kuuteen."),
    ("p", "Esittelijä: kaupunginjohtaja Olli Rantanen"),
    ("h", "Kaupunginjohtajan päätösehdotus", 10),
    ("p", "Kaupunginhallitus esittää kaupunginvaltuustolle, että valtuusto hyväksyy Keinusaaren"
          " ranta-alueen asemakaavan muutoksen 11.11.2024 päivätyn kaavakartan mukaisena."),
    ("h", "Päätös", 10),
    ("p", "Päätösehdotus hyväksyttiin yksimielisesti."),
    ("h", "§ 307 Ikääntyneiden digituen palvelusopimus"),
    ("p", "HML/2230/02.08.00/2024"),
    ("p", "Valmistelija: hyvinvointipäällikkö Sari Lampinen, puh. 03 621 4471"),
    ("h", "Selostus", 10),
    ("p", "Kaupunki on ostanut ikääntyneiden digitukea järjestöiltä hankerahalla, joka päättyy"
          " vuoden 2024 lopussa. Jatkoa varten on neuvoteltu kaksivuotinen palvelusopimus Hämeenlinnan"
          " seudun setlementin kanssa. Sopimuksen arvo on 95 000 euroa vuosille 2025–2026, ja se kattaa"
          " viikoittaisen digitukipäivystyksen kirjastoissa ja palvelukeskuksissa sekä kotikäynnit."),
    ("h", "Kaupunginjohtajan päätösehdotus", 10),
    ("p", "Kaupunginhallitus hyväksyy palvelusopimuksen Hämeenlinnan seudun setlementin kanssa"
          " 95 000 euron kokonaishintaan vuosille 2025–2026."),
    ("h", "Käsittely", 10),
    ("p", "Heli Mattila ehdotti Outi Peltosen kannattamana, että asia pannaan pöydälle, jotta"
          " selvitetään mahdollisuus kilpailuttaa palvelu yhdessä Hattulan ja Janakkalan kanssa."
          " Ehdotus hyväksyttiin yksimielisesti."),
    ("h", "Päätös", 10),
    ("p", "Asia pantiin pöydälle."),
]


# ---------------------------------------------------------------------------------------------------
# dev: Sibbo, kommunstyrelsens föredragningslista 10.2.2025 (an agenda: proposals written, decision
# fields empty; earlier handlings; preparers)

SIBBO: list[Block] = [
    ("h", "SIBBO KOMMUN", 14),
    ("p", "FÖREDRAGNINGSLISTA 3/2025"),
    ("kv", "Organ", "Kommunstyrelsen"),
    ("kv", "Tid", "Måndag 10.2.2025 kl. 17.00"),
    ("kv", "Plats", "Sibbo ämbetshus, kommunstyrelsens sammanträdesrum, Stationsvägen 18, Nickby"),
    ("gap",),
    ("kv", "Kallade", "Karin Westerholm, ordförande"),
    ("kv", "", "Ville Korhonen, vice ordförande"),
    ("kv", "", "Jessica Blom"),
    ("kv", "", "Anders Holmqvist"),
    ("kv", "", "Minna Lepistö"),
    ("kv", "", "Patrik Nyström"),
    ("kv", "", "Sari Rinne"),
    ("kv", "", "Johan Sundqvist"),
    ("kv", "", "Elina Viitanen"),
    ("kv", "Övriga kallade", "Tove Lindroos, kommundirektör, föredragande"),
    ("kv", "", "Stefan Åkerlund, förvaltningsdirektör, sekreterare"),
    ("kv", "", "Hanna Kuusela, fullmäktiges ordförande"),
    ("gap",),
    ("kv", "Ärenden", "31–37 §"),
    ("gap",),
    ("p", "Föredragningslistan publiceras på kommunens webbplats www.sibbo.fi 6.2.2025."
          " Protokollet justeras och läggs fram enligt separat kungörelse."),
    ("page",),
    ("h", "Innehållsförteckning", 12),
    ("p", "31 § Sammanträdets laglighet och beslutförhet ........................ 3\n"
          "32 § Val av protokolljusterare ........................ 3\n"
          "33 § Godkännande av föredragningslistan ........................ 3\n"
          "34 § Detaljplan för Söderkulla centrum, godkännande ........................ 3\n"
          "35 § Projektplan för Nickby skolcampus ........................ 3\n"
          "36 § Digital bokning av kommunens lokaler ........................ 4\n"
          "37 § Anmälningsärenden ........................ 4"),
    ("page",),
    ("h", "31 § Sammanträdets laglighet och beslutförhet"),
    ("p", "Kommundirektörens förslag: Sammanträdet konstateras vara lagligen sammankallat och beslutfört."),
    ("p", "Kommunstyrelsens beslut:"),
    ("h", "32 § Val av protokolljusterare"),
    ("p", "Kommundirektörens förslag: Till protokolljusterare väljs Jessica Blom och Patrik Nyström."),
    ("p", "Kommunstyrelsens beslut:"),
    ("h", "33 § Godkännande av föredragningslistan"),
    ("p", "Kommundirektörens förslag: Föredragningslistan godkänns som arbetsordning för sammanträdet."),
    ("p", "Kommunstyrelsens beslut:"),
    ("h", "34 § Detaljplan för Söderkulla centrum, godkännande"),
    ("p", "SIB/1188/10.02.03/2022"),
    ("p", "Tidigare behandling: Planläggningssektionen 21.1.2025 § 6"),
    ("p", "Beredning: planläggningsdirektör Helena Ström, tfn 040 191 2230; planläggningsarkitekt"
          " Oskar Lindgren"),
    ("h", "Ärendebeskrivning", 10),
    ("p", "Detaljplanen för Söderkulla centrum möjliggör cirka 650 nya bostäder i flervåningshus och"
          " radhus, ett torg och ungefär 9 000 kvadratmeter våningsyta för kommersiell service längs"
          " Borgåvägen. Planen har varit framlagd som förslag 2.10–31.10.2024. Under framläggningen"
          " lämnades 17 anmärkningar och 8 utlåtanden. Med anledning av anmärkningarna har"
          " parkeringsnormen justerats och en park på 1,2 hektar lagts till vid Sibbo å."),
    ("p", "Planläggningssektionen har 21.1.2025 § 6 föreslagit att kommunstyrelsen för sin del"
          " godkänner planen och föreslår för fullmäktige att planen godkänns."),
    ("h", "Kommundirektörens förslag", 10),
    ("p", "Kommunstyrelsen föreslår för fullmäktige att fullmäktige godkänner detaljplanen för"
          " Söderkulla centrum enligt plankarta och bestämmelser daterade 13.1.2025."),
    ("p", "Kommunstyrelsens beslut:"),
    ("p", "__________"),
    ("h", "35 § Projektplan för Nickby skolcampus"),
    ("p", "SIB/402/10.03.00/2024"),
    ("p", "Tidigare behandling: Bildningsnämnden 28.1.2025 § 9"),
    ("p", "Beredning: lokalitetschef Pekka Salonen, tfn 040 191 2615; bildningsdirektör Annika Forsman"),
    ("h", "Ärendebeskrivning", 10),
    ("p", "Nickby skolcampus ersätter de nuvarande byggnaderna för Nickby svenska skola och Nikkilän"
          " koulu, som båda har konstaterade inomhusluftproblem. Campuset planeras för 650 elever i"
          " årskurserna 1–9, ett daghem med 120 platser och ett bibliotek som också fungerar som"
          " servicepunkt för kommunens e-tjänster. Byggnaden planeras enligt energiklass A och med"
          " solpaneler på taket."),
    ("p", "Kostnaden enligt projektplanen är 24,5 miljoner euro (moms 0 %). Byggstarten planeras till"
          " juni 2025 och campuset ska tas i bruk i augusti 2027. Bildningsnämnden har 28.1.2025 § 9"
          " godkänt projektplanen för sin del och föreslagit att kommunstyrelsen för ärendet vidare."),
    ("table", ["Skede", "Tidplan", "Kostnad (milj. euro)"],
     [["Planering och upphandling", "2024–2025", "1,6"],
      ["Byggande, etapp 1 (skola åk 1–9 och bibliotek)", "6/2025–5/2027", "18,9"],
      ["Byggande, etapp 2 (daghem, gårdsområden och inventarier)", "2026–7/2027", "4,0"],
      ["Sammanlagt", "", "24,5"]], (90, 40, 40)),
    ("h", "Kommundirektörens förslag", 10),
    ("p", "Kommunstyrelsen föreslår för fullmäktige att fullmäktige godkänner projektplanen för Nickby"
          " skolcampus med en kostnad på högst 24,5 miljoner euro och att anslaget beaktas i"
          " investeringsdelen av budgeten för åren 2025–2027."),
    ("p", "Kommunstyrelsens beslut:"),
    ("p", "__________"),
    ("h", "36 § Digital bokning av kommunens lokaler"),
    ("p", "SIB/77/02.08.00/2025"),
    ("p", "Beredning: digitaliseringschef Emil Grönlund, tfn 040 191 2870"),
    ("h", "Ärendebeskrivning", 10),
    ("p", "Kommunens skolor, idrottshallar och möteslokaler bokas i dag per e-post och telefon."
          " Digitaliseringsenheten föreslår att ett digitalt bokningssystem tas i bruk från 1.5.2025,"
          " där invånare och föreningar kan se lediga tider, boka och betala. Systemet anskaffas som"
          " en tjänst via Kuntien Tiera Oy. Kostnaden är 38 000 euro för införandet och 14 000 euro"
          " per år, vilket ryms inom kommunstyrelsens budget för 2025."),
    ("h", "Kommundirektörens förslag", 10),
    ("p", "Kommunstyrelsen beslutar att ett digitalt bokningssystem för kommunens lokaler tas i bruk"
          " 1.5.2025 och ger digitaliseringschefen i uppdrag att genomföra anskaffningen."),
    ("p", "Kommunstyrelsens beslut:"),
    ("p", "__________"),
    ("h", "37 § Anmälningsärenden"),
    ("p", "Kommundirektörens förslag: Kommunstyrelsen antecknar anmälningsärendena för kännedom."),
    ("p", "Kommunstyrelsens beslut:"),
]


# ---------------------------------------------------------------------------------------------------
# dev: Sastamala, ilmasto-ohjelma 2025–2030 (numbered headings, action tables with wrapped cells that
# run over page breaks, a funding table)

ACTION_HEAD = ["Toimenpide", "Vastuutaho", "Aikataulu", "Mittari"]
SAS_TRAFFIC = [
    ["Kaupungin henkilöautot vaihdetaan sähkö- tai biokaasuautoihin leasingsopimusten päättyessä",
     "Tilapalvelut, kuljetuspäällikkö Arto Nieminen", "2025–2028", "Vähäpäästöisten autojen osuus"
     " kaupungin autoista 100 %"],
    ["Sähköautojen julkisia latauspisteitä rakennetaan Vammalan keskustaan, Mouhijärvelle ja Äetsään"
     " yhteistyössä energiayhtiön kanssa", "Kaupunkikehitys, kehitysjohtaja Laura Virta", "2025–2026",
     "Vähintään 24 julkista latauspistettä"],
    ["Pyöräilyn pääreitit Vammalan keskustasta Roismalaan ja Karkkuun kunnostetaan ja valaistaan",
     "Kuntatekniikka, katupäällikkö Janne Ojanen", "2026–2028", "12 km kunnostettua reittiä"],
    ["Koulukyytien ja asiointiliikenteen reitit yhdistetään, ja kutsuliikenne laajennetaan kaikkiin"
     " kyliin", "Sivistyspalvelut ja joukkoliikennesuunnittelija Tea Laine", "2025", "Kutsuliikenteen"
     " matkat 8 000/v"],
]
SAS_ENERGY = [
    ["Öljylämmityksestä luovutaan kaikissa kaupungin omistamissa kiinteistöissä; tilalle"
     " maalämpö tai kaukolämpö", "Tilapalvelut, tilapalvelupäällikkö Kati Heinonen", "2025–2027",
     "0 öljylämmitteistä kiinteistöä"],
    ["Aurinkovoimalat rakennetaan Sastamalan yhteislyseon, jäähallin ja Sylvään koulun katoille",
     "Tilapalvelut, tilapalvelupäällikkö Kati Heinonen", "2025–2026", "Yhteensä 600 kWp"],
    ["Katuvalaistus vaihdetaan LED-valaisimiin, ja valaistusta ohjataan liiketunnistimilla"
     " kevyen liikenteen väylillä", "Kuntatekniikka, katupäällikkö Janne Ojanen", "2025–2029",
     "Sähkönkulutus -55 %"],
    ["Asukkaille järjestetään maksutonta energianeuvontaa ja lämpökamerakuvauksia omakotitaloihin",
     "Rakennusvalvonta ja ympäristönsuojelu, ympäristötarkastaja Sanni Koskela", "2025–2030",
     "150 neuvontaa/v"],
]
SAS_LAND = [
    ["Kaupungin metsien hoitosuunnitelmaan lisätään hiilinielutavoite, ja 10 % kaupungin metsistä"
     " jätetään talouskäytön ulkopuolelle", "Maankäyttö, metsäasiantuntija Pekka Virtanen", "2025",
     "Hiilivarasto kasvaa; suojeltu pinta-ala 240 ha"],
    ["Uusissa asemakaavoissa osoitetaan hulevesien viivytysalueet ja säilytetään yhtenäiset"
     " viheryhteydet", "Kaavoitus, kaavoitusjohtaja Miia Saarela", "jatkuva", "Kaikki uudet"
     " asemakaavat"],
]
SAS_PROCUREMENT = [
    ["Kaikissa yli 60 000 euron hankinnoissa käytetään ympäristökriteerejä, ja kriteerien painoarvo"
     " on vähintään 10 %", "Hankintapalvelut, hankintapäällikkö Sirpa Kallio", "2025 alkaen",
     "Kriteerit 100 % hankinnoista"],
    ["Koulujen ja päiväkotien ruokalistalle lisätään kasvisruokapäivä ja vähennetään ruokahävikkiä",
     "Ateriapalvelut, ruokapalvelupäällikkö Hanna Rinne", "2025–2026", "Hävikki -30 %"],
]

SASTAMALA: list[Block] = [
    ("h", "Sastamalan kaupungin ilmasto-ohjelma 2025–2030", 16),
    ("p", "Hyväksytty kaupunginvaltuustossa 10.3.2025 § 14"),
    ("h", "1 Johdanto"),
    ("p", "Sastamala liittyi vuonna 2019 Hiilineutraalit kunnat -verkostoon (Hinku) ja sitoutui"
          " vähentämään alueensa kasvihuonekaasupäästöjä 80 prosenttia vuoden 2007 tasosta vuoteen"
          " 2030 mennessä. Kaupunkistrategiassa 2022–2030 tavoitteeksi on asetettu hiilineutraalius"
          " vuoteen 2035 mennessä. Tämä ohjelma kokoaa toimenpiteet, joilla kaupunki omassa"
          " toiminnassaan ja yhdessä asukkaiden ja yritysten kanssa saavuttaa tavoitteet."),
    ("p", "Ohjelma on valmisteltu ympäristöjohtaja Petri Kallion johtamassa työryhmässä, jossa olivat"
          " edustettuina kaikki toimialat, Sastamalan Vesi -liikelaitos ja Sastamalan Kaukolämpö Oy."
          " Asukkaat saivat kommentoida luonnosta verkossa marras–joulukuussa 2024; kommentteja tuli"
          " 214. Ohjelma korvaa vuoden 2020 ilmastotiekartan."),
    ("h", "2 Päästöt ja tavoitteet"),
    ("p", "Alueen päästöt olivat vuonna 2023 yhteensä 181 kilotonnia hiilidioksidiekvivalenttia, mikä"
          " on 43 prosenttia vähemmän kuin vuonna 2007. Suurimmat päästölähteet ovat tieliikenne,"
          " maatalous ja rakennusten lämmitys. Kaupungin oman toiminnan päästöt olivat 6,3 kilotonnia."),
    ("table", ["Sektori", "2007, kt CO2e", "2023, kt CO2e", "Tavoite 2030, kt CO2e"],
     [["Tieliikenne", "92", "68", "40"], ["Rakennusten lämmitys", "88", "31", "12"],
      ["Sähkönkulutus", "61", "14", "6"], ["Maatalous", "58", "52", "45"],
      ["Teollisuus ja työkoneet", "26", "11", "7"], ["Jätteet ja jätevesi", "12", "5", "3"],
      ["Yhteensä", "337", "181", "113"]], (60, 35, 35, 40)),
    ("p", "Ohjelman tavoitteet: (1) alueen päästöt vähenevät 65 prosenttia vuoden 2007 tasosta vuoteen"
          " 2030 mennessä, (2) kaupungin oman toiminnan päästöt puolittuvat vuoden 2023 tasosta"
          " vuoteen 2028 mennessä ja (3) Sastamala on hiilineutraali vuonna 2035."),
    ("h", "3 Toimenpiteet"),
    ("p", "Toimenpiteet on ryhmitelty neljään teemaan. Kullekin toimenpiteelle on nimetty vastuutaho,"
          " aikataulu ja mittari. Vastuutaho kokoaa toimenpiteen toteutustiedot vuosittaiseen"
          " seurantaan."),
    ("h", "3.1 Liikenne ja liikkuminen", 11),
    ("table", ACTION_HEAD, SAS_TRAFFIC, (62, 48, 22, 38)),
    ("h", "3.2 Rakennukset ja energia", 11),
    ("table", ACTION_HEAD, SAS_ENERGY, (62, 48, 22, 38)),
    ("h", "3.3 Maankäyttö ja luonto", 11),
    ("table", ACTION_HEAD, SAS_LAND, (62, 48, 22, 38)),
    ("h", "3.4 Hankinnat ja kulutus", 11),
    ("table", ACTION_HEAD, SAS_PROCUREMENT, (62, 48, 22, 38)),
    ("h", "4 Rahoitus"),
    ("p", "Ohjelman toimenpiteisiin on varattu investointiosaan yhteensä 4,9 miljoonaa euroa vuosille"
          " 2025–2030. Käyttötalouteen varataan ilmastokoordinaattorin palkkaus ja 40 000 euroa"
          " vuodessa viestintään ja energianeuvontaan. Lisäksi haetaan ulkopuolista rahoitusta"
          " ympäristöministeriön ja Business Finlandin ohjelmista."),
    ("table", ["Teema", "2025", "2026", "2027–2030", "Yhteensä (milj. euroa)"],
     [["Liikenne ja liikkuminen", "0,3", "0,4", "0,5", "1,2"],
      ["Rakennukset ja energia", "0,9", "1,1", "1,2", "3,2"],
      ["Maankäyttö ja luonto", "0,05", "0,05", "0,1", "0,2"],
      ["Hankinnat ja kulutus", "0,1", "0,1", "0,1", "0,3"],
      ["Yhteensä", "1,35", "1,65", "1,9", "4,9"]], (60, 22, 22, 28, 38)),
    ("h", "5 Seuranta ja raportointi"),
    ("p", "Ympäristöjohtaja Petri Kallio vastaa ohjelman kokonaisuudesta. Ilmastokoordinaattori"
          " Elina Rantala kokoaa seurantatiedot vastuutahoilta ja laskee päästöt vuosittain Hinku-"
          "laskentamallilla. Ohjelman toteutumisesta raportoidaan kaupunginhallitukselle vuosittain"
          " huhtikuussa ja kaupunginvaltuustolle tilinpäätöksen yhteydessä. Ohjelma päivitetään"
          " vuonna 2028."),
    ("p", "Lisätietoja: ilmastokoordinaattori Elina Rantala, elina.rantala@sastamala.fi"),
]


# ---------------------------------------------------------------------------------------------------
# test: Lovisa, stadsstyrelsens protokoll 23.9.2024 (cover page with [X]/[ ] members, item header
# block written last on each page, a vote with names, a reservation, jäv, a tabled and a returned item)

LOVISA_FRAMES = [
    ["Budgetram", "Ram 2025 (milj. euro)", "Budget 2024 (milj. euro)", "Förändring"],
    ["Koncernförvaltningen", "6,2", "6,0", "+3,3 %"],
    ["Bildningssektorn", "48,9", "48,1", "+1,7 %"],
    ["Samhällstekniska sektorn", "21,4", "21,9", "-2,3 %"],
    ["Kultur och fritid", "5,8", "5,9", "-1,7 %"],
    ["Lovisa Vatten (affärsverk)", "0,0", "0,0", "resultatmål +0,3"],
]

LOVISA: list[Block] = [
    ("h", "LOVISA STAD", 14),
    ("p", "PROTOKOLL 12/2024"),
    ("kv", "Organ", "Stadsstyrelsen"),
    ("kv", "Sammanträdestid", "23.9.2024 kl. 17:00 – 19:35"),
    ("kv", "Sammanträdesplats", "Stadshuset, styrelserummet"),
    ("kv", "Ärenden", "180 – 186 §"),
    ("gap",),
    ("h", "Beslutande", 10),
    ("p", "[X] Jan Nordström, ordförande\n[X] Kirsi Laakso, vice ordförande\n[X] Mathias Holm\n"
          "[X] Tiina Koskinen\n[X] Björn Sundell, avlägsnade sig under 184 §\n[ ] Anne Virta\n"
          "[X] Leena Hyvärinen, distans\n[X] Carl-Gustav Lindqvist\n[X] Marko Ruuskanen"),
    ("h", "Ersättare", 10),
    ("p", "[X] Petra Åberg, ersättare för Anne Virta"),
    ("h", "Övriga närvarande", 10),
    ("p", "Gunilla Blomqvist, stadsfullmäktiges ordförande\nSebastian Lindén, stadsdirektör,"
          " föredragande\nMaria Törnqvist, förvaltningsdirektör, prot.förare\nHenrik Wahlberg,"
          " ekonomidirektör, sakkunnig 183 §"),
    ("h", "Underskrifter", 10),
    ("p", "Jan Nordström, ordförande                 Maria Törnqvist, protokollförare"),
    ("h", "Protokolljustering", 10),
    ("p", "Lovisa 25.9.2024\nMathias Holm                 Tiina Koskinen"),
    ("p", "Det justerade protokollet publiceras på www.loviisa.fi 26.9.2024."),
    ("page",),
    ("h", "Innehållsförteckning", 12),
    ("p", "180 § Sammanträdets laglighet och beslutförhet ........................ 3\n"
          "181 § Val av protokolljusterare ........................ 3\n"
          "182 § Godkännande av föredragningslistan ........................ 3\n"
          "183 § Budgetramar för 2025 och ekonomiplan 2026–2027 ........................ 3\n"
          "184 § Försäljning av tomt i Valkom industriområde ........................ 5\n"
          "185 § Utredning om skolnätet i Lovisa ........................ 5\n"
          "186 § Utveckling av stadens digitala kundtjänst ........................ 5"),
    ("page",),
    ("h", "180 § Sammanträdets laglighet och beslutförhet"),
    ("p", "Stadsstyrelsens beslut: Sammanträdet konstaterades vara lagligen sammankallat och beslutfört."),
    ("h", "181 § Val av protokolljusterare"),
    ("p", "Stadsstyrelsens beslut: Till protokolljusterare valdes Mathias Holm och Tiina Koskinen."),
    ("h", "182 § Godkännande av föredragningslistan"),
    ("p", "Stadsstyrelsens beslut: Föredragningslistan godkändes som arbetsordning."),
    ("h", "183 § Budgetramar för 2025 och ekonomiplan 2026–2027"),
    ("p", "LOV/1522/02.02.00/2024"),
    ("p", "Beredning: ekonomidirektör Henrik Wahlberg, tfn 044 722 5310"),
    ("p", "Stadens skatteinkomster beräknas år 2025 uppgå till 58,7 miljoner euro och statsandelarna"
          " till 24,3 miljoner euro. Inkomstskattesatsen föreslås hållas på 8,87 procent."
          " Verksamhetsbidraget får inte försämras med mer än 1,0 procent jämfört med budgeten för 2024"
          " om stadens ekonomi ska vara i balans 2027. Sektorerna ska utarbeta sina budgetförslag inom"
          " de ramar som stadsstyrelsen fastställer. Investeringsramen för 2025 är 12,5 miljoner euro,"
          " varav skolcentret i Forsby och saneringen av simhallen är de största objekten."),
    ("table", LOVISA_FRAMES[0], LOVISA_FRAMES[1:], (60, 38, 38, 34)),
    ("p", "Stadsdirektörens förslag: Stadsstyrelsen fastställer budgetramarna för 2025 enligt"
          " bilagan och ger sektorerna i uppdrag att utarbeta sina budgetförslag inom ramarna senast"
          " 18.10.2024."),
    ("p", "Behandling: Marko Ruuskanen föreslog, understödd av Carl-Gustav Lindqvist, att"
          " bildningssektorns ram höjs med 400 000 euro för att trygga de mindre skolorna och att"
          " samhällstekniska sektorns ram sänks med motsvarande belopp. Ordföranden konstaterade att"
          " ett understött ändringsförslag hade gjorts och att omröstning skulle förrättas. De som"
          " understöder stadsdirektörens förslag röstar ja och de som understöder Ruuskanens förslag"
          " röstar nej. Omröstningen utföll med 6 ja-röster och 3 nej-röster enligt följande:"),
    ("table", ["Ledamot", "Röst"],
     [["Jan Nordström", "ja"], ["Kirsi Laakso", "ja"], ["Mathias Holm", "ja"], ["Tiina Koskinen", "ja"],
      ["Björn Sundell", "ja"], ["Leena Hyvärinen", "nej"], ["Carl-Gustav Lindqvist", "nej"],
      ["Marko Ruuskanen", "nej"], ["Petra Åberg", "ja"]], (60, 30)),
    ("p", "Stadsstyrelsens beslut: Stadsstyrelsen fastställde budgetramarna för 2025 enligt"
          " stadsdirektörens förslag efter omröstning med rösterna 6–3."),
    ("p", "Reservation: Marko Ruuskanen och Carl-Gustav Lindqvist reserverade sig mot beslutet."),
    ("p", "Verkställighet: sektorerna, ekonomiavdelningen"),
    ("page",),
    ("h", "184 § Försäljning av tomt i Valkom industriområde"),
    ("p", "LOV/1604/10.00.02/2024"),
    ("p", "Beredning: markanvändningsingenjör Kristian Aalto, tfn 044 722 5477"),
    ("p", "Jäv: Björn Sundell anmälde jäv (styrelseledamot i köparbolaget) och avlägsnade sig från"
          " sammanträdet under behandlingen av ärendet."),
    ("p", "Valko Circular Oy har anhållit om att få köpa tomten 3 i kvarter 712 i Valkom industriområde"
          " för en anläggning för återvinning av litiumbatterier. Tomtens areal är 2,4 hektar och"
          " köpeskillingen 96 000 euro enligt stadens prislista för industritomter. Bolaget räknar med"
          " 35 arbetsplatser. Köpet förutsätter att bygglov beviljas och att byggandet inleds inom två"
          " år. Eftersom köpeskillingen överstiger stadsstyrelsens befogenheter beslutar"
          " stadsfullmäktige om försäljningen."),
    ("p", "Stadsdirektörens förslag: Stadsstyrelsen föreslår för stadsfullmäktige att tomten 3 i"
          " kvarter 712 säljs till Valko Circular Oy för 96 000 euro på villkoren i bilagan."),
    ("p", "Stadsstyrelsens beslut: Förslaget godkändes enhälligt."),
    ("h", "185 § Utredning om skolnätet i Lovisa"),
    ("p", "LOV/980/12.00.01/2024"),
    ("p", "Beredning: bildningsdirektör Susanne Ekholm, tfn 044 722 5601"),
    ("p", "Bildningsnämnden har låtit utreda skolnätet för åren 2025–2035. Utredningen presenterar tre"
          " alternativ: nuvarande nät med tio skolor, en sammanslagning av Tesjoen koulu och"
          " Pernå skola samt ett nät med sju skolor där de finskspråkiga skolorna i Lovisa centrum"
          " koncentreras till Forsby skolcenter. Utredningen har behandlats i bildningsnämnden 10.9.2024."),
    ("p", "Stadsdirektörens förslag: Stadsstyrelsen antecknar utredningen för kännedom och sänder den"
          " på remiss till byaråden och föräldraföreningarna med svarstid till 15.11.2024."),
    ("p", "Behandling: Kirsi Laakso föreslog, understödd av Tiina Koskinen, att ärendet bordläggs till"
          " stadsstyrelsens följande sammanträde. Förslaget godkändes enhälligt."),
    ("p", "Stadsstyrelsens beslut: Ärendet bordlades."),
    ("h", "186 § Utveckling av stadens digitala kundtjänst"),
    ("p", "LOV/1710/00.01.02/2024"),
    ("p", "Beredning: digitaliseringschef Ronja Silvennoinen, tfn 044 722 5029"),
    ("p", "Kundtjänsten vid servicepunkten i stadshuset tar emot ungefär 14 000 kontakter per år."
          " Digitaliseringsenheten föreslår att en tvåspråkig chattbot och ett digitalt tidsbokningssystem"
          " tas i bruk under år 2025. Kostnaden beräknas till 120 000 euro för 2025–2026. Samtidigt"
          " föreslås att servicepunkten i Pernå stängs och ersätts med distanstjänst via bibliotekets"
          " videoförbindelse."),
    ("p", "Stadsdirektörens förslag: Stadsstyrelsen godkänner utvecklingsplanen för den digitala"
          " kundtjänsten och reserverar 120 000 euro för den i budgeten för 2025–2026."),
    ("p", "Behandling: Tiina Koskinen föreslog, understödd av Mathias Holm, att ärendet återremitteras"
          " för ny beredning så att samarbete med Östra Nylands välfärdsområde om en gemensam"
          " servicepunkt utreds och att Pernå servicepunkt bevaras tills vidare. Förslaget om"
          " återremiss godkändes enhälligt."),
    ("p", "Stadsstyrelsens beslut: Ärendet återremitterades för ny beredning."),
]


# ---------------------------------------------------------------------------------------------------
# test: Jomala kommun (Åland), äldreomsorgsplan 2025–2028 (action tables Åtgärd | Ansvarig | Tidplan |
# Indikator with wrapped cells, a cost table, numbered headings)

ACT_SV = ["Åtgärd", "Ansvarig", "Tidplan", "Indikator"]
JOM_PREVENT = [
    ["Förebyggande hembesök erbjuds alla som fyller 75 år, med kartläggning av fallrisk och"
     " ensamhet", "Äldreomsorgen, hemvårdsledare Linda Mattsson", "2025–2028",
     "80 % av 75-åringarna besökta"],
    ["Seniorträffpunkten i Vikingabyn flyttas till kommunens servicehus och öppettiderna utökas till fem"
     " dagar i veckan", "Fritidssekreterare Johan Sundman", "2025", "2 500 besök per år"],
    ["Gratis simning och gym för personer över 70 år vid Jomala idrottscenter",
     "Fritidssekreterare Johan Sundman", "2025–2028", "Antal besök"],
]
JOM_HOME = [
    ["Hemvården utökas med ett kvällsteam så att besök kan göras till kl. 22 alla dagar",
     "Äldreomsorgschef Annika Eriksson", "2025", "Andel av klienterna som får kvällsbesök"],
    ["Digital tillsyn via surfplatta erbjuds som komplement till fysiska besök för klienter som"
     " själva önskar det", "Hemvårdsledare Linda Mattsson och IT-samordnare Kim Lundberg",
     "2025–2026", "60 klienter med digital tillsyn"],
    ["Trygghetslarmen byts ut till digitala larm med platsangivelse (GPS) för personer med"
     " minnessjukdom", "IT-samordnare Kim Lundberg", "2025", "Samtliga larm digitala"],
    ["Anhörigvårdare erbjuds avlösning två dygn per månad och en handledningsgrupp",
     "Socialchef Kristian Holmström", "2025–2028", "Antal avlösningsdygn"],
]
JOM_HOUSING = [
    ["Boendet Solbacken byggs ut med 16 platser för effektiviserat serviceboende med"
     " demensinriktning", "Socialchef Kristian Holmström och byggnadschef Roger Danielsson",
     "2026–2027", "16 nya platser klara 2027"],
    ["Korttidsavdelningens platser ökas från 6 till 10 för att korta väntetiden efter"
     " sjukhusvistelse", "Äldreomsorgschef Annika Eriksson", "2026", "Väntetid under 3 dygn"],
]
JOM_STAFF = [
    ["Läroavtalsutbildning till närvårdare för 12 anställda i samarbete med Ålands"
     " yrkesgymnasium", "Personalchef Maria Fagerlund", "2025–2027", "12 examinerade närvårdare"],
    ["Gemensam vikariepool med Lemland och Hammarland", "Äldreomsorgschef Annika Eriksson",
     "2025", "Andel vakanser som täcks inom 24 h"],
]

JOMALA: list[Block] = [
    ("h", "Äldreomsorgsplan för Jomala kommun 2025–2028", 16),
    ("p", "Antagen av kommunfullmäktige 26.11.2024 § 82. Beredd av socialnämnden 29.10.2024 § 61."),
    ("h", "1 Bakgrund"),
    ("p", "Enligt landskapslagen om tillämpning av äldreomsorgslagen ska kommunen anta en plan för"
          " att stödja den äldre befolkningen. I Jomala bor i dag 1 160 personer som fyllt 65 år, och"
          " antalet personer över 80 år beräknas öka med 45 procent fram till år 2030. Planen ersätter"
          " äldreomsorgsplanen 2020–2023. Den har beretts av en arbetsgrupp som leddes av"
          " äldreomsorgschef Annika Eriksson, och äldrerådet, personalen och anhörigföreningen har"
          " hörts under arbetet."),
    ("h", "2 Mål för planperioden"),
    ("p", "Målet är att minst 92 procent av kommunens invånare över 75 år bor hemma, med eller utan"
          " stöd, vid planperiodens slut. Väntetiden till effektiviserat serviceboende får inte"
          " överstiga tre månader, och andelen behörig personal inom äldreomsorgen ska vara minst 90"
          " procent. Kommunen ska dessutom minska ensamheten bland äldre genom fler mötesplatser."),
    ("h", "3 Åtgärder"),
    ("p", "Åtgärderna är indelade i fyra insatsområden. För varje åtgärd anges vem som ansvarar,"
          " när åtgärden ska genomföras och hur resultatet följs upp."),
    ("h", "3.1 Förebyggande och hälsofrämjande verksamhet", 11),
    ("table", ACT_SV, JOM_PREVENT, (66, 46, 22, 36)),
    ("h", "3.2 Hemvård och stöd i hemmet", 11),
    ("table", ACT_SV, JOM_HOME, (66, 46, 22, 36)),
    ("h", "3.3 Boende", 11),
    ("table", ACT_SV, JOM_HOUSING, (66, 46, 22, 36)),
    ("h", "3.4 Personal och kompetens", 11),
    ("table", ACT_SV, JOM_STAFF, (66, 46, 22, 36)),
    ("h", "4 Ekonomi"),
    ("p", "Äldreomsorgens nettokostnader är i budgeten för 2025 beräknade till 9,6 miljoner euro."
          " Planens nya åtgärder beräknas öka driftskostnaderna med 410 000 euro per år från 2026,"
          " huvudsakligen genom kvällsteamet och de utökade korttidsplatserna. Utbyggnaden av"
          " Solbacken är en investering på 3,9 miljoner euro, som tas upp i investeringsbudgeten för"
          " 2026–2027."),
    ("table", ["Post", "2025", "2026", "2027", "2028"],
     [["Driftskostnader, nya åtgärder (1 000 euro)", "180", "410", "410", "410"],
      ["Investering Solbacken (1 000 euro)", "150", "2 100", "1 650", "0"],
      ["Statsandelar och avgifter (1 000 euro)", "-60", "-140", "-160", "-160"]],
     (70, 25, 25, 25, 25)),
    ("h", "5 Uppföljning"),
    ("p", "Äldreomsorgschefen ansvarar för att planen följs upp. Socialnämnden får en"
          " uppföljningsrapport varje år i mars, och kommunfullmäktige får en sammanfattning i samband"
          " med bokslutet. Äldrerådet hörs om uppföljningen. Planen revideras senast 2028."),
    ("p", "Kontakt: äldreomsorgschef Annika Eriksson, annika.eriksson@jomala.ax"),
]


def main() -> None:
    built = [
        save("hameenlinna_kaupunginhallitus_poytakirja_2024-11-18.pdf", "dev",
             "Hämeenlinnan kaupunki – Kaupunginhallitus, pöytäkirja 18/2024", dt.date(2024, 11, 20),
             Doc("Hämeenlinnan kaupunki | Kaupunginhallitus | Pöytäkirja 18/2024 | 18.11.2024",
                 "Sivu {n}"), HAMEENLINNA),
        save("sibbo_kommunstyrelsen_foredragningslista_2025-02-10.pdf", "dev",
             "Sibbo kommun – Kommunstyrelsen, föredragningslista 3/2025", dt.date(2025, 2, 6),
             Doc("Sibbo kommun | Kommunstyrelsen | Föredragningslista 3/2025 | 10.2.2025",
                 "Sida {n}"), SIBBO),
        save("sastamala_ilmasto-ohjelma_2025-2030.pdf", "dev",
             "Sastamalan kaupunki – Ilmasto-ohjelma 2025–2030", dt.date(2025, 3, 10),
             Doc("Sastamalan kaupunki | Ilmasto-ohjelma 2025–2030", "Sivu {n}"), SASTAMALA),
        save("lovisa_stadsstyrelsen_protokoll_2024-09-23.pdf", "test",
             "Lovisa stad – Stadsstyrelsen, protokoll 12/2024", dt.date(2024, 9, 26),
             Doc("", "Lovisa stad", top_block=["LOVISA STAD", "Protokoll 12/2024", "Stadsstyrelsen",
                                               "23.09.2024", "Sida {n}"]), LOVISA),
        save("jomala_aldreomsorgsplan_2025-2028.pdf", "test",
             "Jomala kommun – Äldreomsorgsplan 2025–2028", dt.date(2024, 11, 26),
             Doc("Jomala kommun | Äldreomsorgsplan 2025–2028", "Sida {n}"), JOMALA),
    ]
    for path in built:
        print(path.relative_to(HERE))


if __name__ == "__main__":
    main()

"""Generate the evaluation's DOCX minutes (fictional content in the genre's real shapes).

Run once and commit the files: `python evaluation/documents/make_docx.py`. The text is fixed; the
core properties are fixed too (python-docx writes zip timestamps, so the bytes may differ between
runs, the content does not). The documents exercise what a word-processor protocol looks like to
ingest: heading styles for the items, a page header, member tables, label paragraphs in bold
("Beslut:", "Päätös") followed by the text, and named-vote tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent

# Blocks: ("title", text), ("h", text) item heading, ("label", text) bold section label,
# ("p", text), ("table", rows) first row = headings.


def build(path: Path, header: str, title: str, author: str, created: dt.datetime,
          blocks: Sequence[tuple]) -> None:
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.core_properties.created = created
    doc.core_properties.modified = created
    doc.core_properties.last_modified_by = author
    doc.sections[0].header.paragraphs[0].text = header
    for block in blocks:
        kind = block[0]
        if kind == "title":
            doc.add_heading(block[1], level=0)
        elif kind == "h":
            doc.add_heading(block[1], level=1)
        elif kind == "label":
            doc.add_paragraph().add_run(block[1]).bold = True
        elif kind == "p":
            doc.add_paragraph(block[1])
        elif kind == "table":
            rows = block[1]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            doc.add_paragraph("")
        elif kind == "page":
            doc.add_page_break()
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    doc.save(str(path))


MARIEHAMN: list[tuple] = [
    ("title", "Mariehamns stad – Stadsstyrelsen"),
    ("p", "PROTOKOLL 4/2025"),
    ("p", "Tid: tisdag 4.3.2025 kl. 17.00–19.10"),
    ("p", "Plats: Stadshuset, sessionssalen"),
    ("label", "Närvarande"),
    ("table", [["Ledamot", "Uppdrag", "Närvaro"],
               ["Tony Wikström", "ordförande", "närvarande"],
               ["Ulla-Britt Dahl", "vice ordförande", "närvarande"],
               ["Niklas Häggblom", "ledamot", "närvarande"],
               ["Camilla Sjöstrand", "ledamot", "närvarande"],
               ["Frida Nordlund", "ledamot", "närvarande"],
               ["Robert Mörn", "ledamot", "närvarande"],
               ["Sanna Karlsson", "ledamot", "närvarande, jävig § 40"],
               ["Oskar Lindell", "ledamot", "närvarande"],
               ["Emilia Berg", "ledamot", "närvarande"]]),
    ("label", "Övriga närvarande"),
    ("p", "Agneta Söderlund, stadsdirektör, föredragande\nHenrik Lund, stadssekreterare, sekreterare\n"
          "Marita Holm, stadsfullmäktiges ordförande"),
    ("label", "Paragrafer"),
    ("p", "§ 39–43"),
    ("label", "Underskrifter"),
    ("p", "Tony Wikström, ordförande\nHenrik Lund, sekreterare"),
    ("label", "Protokolljustering"),
    ("p", "Mariehamn 6.3.2025. Camilla Sjöstrand och Robert Mörn"),
    ("p", "Protokollet har varit framlagt till påseende på stadens webbplats www.mariehamn.ax"
          " från och med 7.3.2025."),
    ("page",),
    ("h", "§ 39 Laglighet och beslutförhet samt val av protokolljusterare"),
    ("label", "Beslut:"),
    ("p", "Sammanträdet konstaterades vara lagligen sammankallat och beslutfört. Till protokolljusterare"
          " valdes Camilla Sjöstrand och Robert Mörn."),
    ("h", "§ 40 Äldreomsorgsplan för Mariehamns stad 2025–2030"),
    ("p", "MHSTAD 2024/311"),
    ("label", "Tidigare behandling"),
    ("p", "Socialnämnden 12.2.2025 § 14"),
    ("label", "Beredning"),
    ("p", "Äldreomsorgschef Pia Gustafsson, pia.gustafsson@mariehamn.ax"),
    ("label", "Jäv"),
    ("p", "Sanna Karlsson anmälde jäv, eftersom hon är anställd som enhetschef inom stadens"
          " äldreomsorg, och deltog inte i behandlingen av ärendet."),
    ("label", "Ärendebeskrivning"),
    ("p", "I Mariehamn bor i dag cirka 2 100 personer som är 75 år eller äldre, och antalet beräknas"
          " öka med en tredjedel till år 2035. Äldreomsorgsplanen anger hur staden ska möta behoven."
          " Planens tre huvudområden är stöd i hemmet, boende och kompetensförsörjning."),
    ("p", "Hemtjänsten inför digital nattillsyn med kamera för de klienter som samtycker under 2025."
          " Ett nytt boende med 40 platser för effektiviserat serviceboende byggs i Kvarteret"
          " Trädgårdsstaden och ska vara klart år 2028. Kostnaden beräknas till 14,2 miljoner euro."
          " Staden inför dessutom ett stipendium för närvårdarstuderande som förbinder sig att arbeta"
          " två år inom stadens äldreomsorg. Äldreomsorgschefen ansvarar för att planen genomförs."),
    ("label", "Socialnämndens förslag"),
    ("p", "Socialnämnden föreslog 12.2.2025 § 14 att stadsstyrelsen föreslår stadsfullmäktige att anta"
          " äldreomsorgsplanen."),
    ("label", "Stadsdirektörens förslag"),
    ("p", "Stadsstyrelsen föreslår stadsfullmäktige att anta äldreomsorgsplanen för Mariehamns stad"
          " 2025–2030."),
    ("label", "Yrkanden"),
    ("p", "Frida Nordlund yrkade, understödd av Oskar Lindell, bifall till förslaget med tillägget att"
          " planens genomförande följs upp årligen i stadsfullmäktige. Ingen motsatte sig"
          " tilläggsyrkandet."),
    ("label", "Beslut:"),
    ("p", "Stadsstyrelsen föreslår stadsfullmäktige att anta äldreomsorgsplanen för Mariehamns stad"
          " 2025–2030, med tillägget att planens genomförande följs upp årligen i stadsfullmäktige."),
    ("p", "Expedieras till: stadsfullmäktige, socialnämnden"),
    ("h", "§ 41 Förnyelse av stadens webbplats"),
    ("p", "MHSTAD 2024/402"),
    ("label", "Beredning"),
    ("p", "Kommunikationschef Sofia Ek"),
    ("label", "Ärendebeskrivning"),
    ("p", "Stadens webbplats mariehamn.ax togs i bruk 2017 och uppfyller inte längre kraven på"
          " tillgänglighet. Upphandlingen av en ny webbplats med e-tjänstportal har konkurrensutsatts"
          " och tre anbud har inkommit. Det ekonomiskt mest fördelaktiga anbudet lämnades av Webbyrån"
          " Nord Ab, 85 000 euro för utveckling och 9 600 euro per år för drift och support."),
    ("label", "Stadsdirektörens förslag"),
    ("p", "Stadsstyrelsen antar anbudet från Webbyrån Nord Ab och bemyndigar kommunikationschefen att"
          " underteckna avtalet."),
    ("label", "Yrkanden"),
    ("p", "Robert Mörn yrkade, understödd av Camilla Sjöstrand, att ärendet bordläggs till nästa"
          " sammanträde så att anbuden kan jämföras med Ålands landskapsregerings gemensamma"
          " plattform. Bordläggningsyrkandet vann enhälligt bifall."),
    ("label", "Beslut:"),
    ("p", "Ärendet bordlades."),
    ("h", "§ 42 Motion om avgiftsfri stadsbuss för pensionärer"),
    ("p", "MHSTAD 2024/288"),
    ("label", "Tidigare behandling"),
    ("p", "Stadsfullmäktige 12.12.2024 § 118 (motionen remitterades till stadsstyrelsen för beredning)"),
    ("label", "Beredning"),
    ("p", "Trafikplanerare Jonas Blomqvist"),
    ("label", "Ärendebeskrivning"),
    ("p", "Ledamot Marita Holm med flera föreslår i en motion att stadsbussen ska vara avgiftsfri för"
          " alla pensionärer som är skrivna i Mariehamn. Biljettintäkterna från pensionärer uppgick"
          " 2024 till 158 000 euro. Avgiftsfrihet skulle enligt beräkningen kosta staden cirka"
          " 160 000 euro per år och öka trängseln i morgontrafiken."),
    ("label", "Stadsdirektörens förslag"),
    ("p", "Stadsstyrelsen föreslår stadsfullmäktige att motionen avslås."),
    ("label", "Yrkanden"),
    ("p", "Ulla-Britt Dahl yrkade, understödd av Emilia Berg, att ärendet återremitteras för att utreda"
          " avgiftsfri resa för pensionärer under lågtrafik kl. 9–14."),
    ("label", "Beslutsgång och omröstning"),
    ("p", "Ordföranden ställde proposition på om ärendet ska avgöras i dag eller återremitteras."
          " Omröstning begärdes. Den som vill avgöra ärendet i dag röstar ja, den som vill"
          " återremittera röstar nej. Med 4 ja-röster mot 5 nej-röster beslöt stadsstyrelsen att"
          " återremittera ärendet."),
    ("table", [["Ledamot", "Ja", "Nej"],
               ["Tony Wikström", "x", ""], ["Ulla-Britt Dahl", "", "x"],
               ["Niklas Häggblom", "x", ""], ["Camilla Sjöstrand", "x", ""],
               ["Frida Nordlund", "", "x"], ["Robert Mörn", "x", ""],
               ["Sanna Karlsson", "", "x"], ["Oskar Lindell", "", "x"],
               ["Emilia Berg", "", "x"], ["Sammanlagt", "4", "5"]]),
    ("label", "Beslut:"),
    ("p", "Ärendet återremitterades efter omröstning (5–4) för utredning av avgiftsfri resa under"
          " lågtrafik."),
    ("label", "Reservation"),
    ("p", "Tony Wikström och Niklas Häggblom reserverade sig mot beslutet."),
    ("h", "§ 43 Anmälningsärenden"),
    ("label", "Beslut:"),
    ("p", "Antecknades för kännedom."),
]


KOKEMAKI: list[tuple] = [
    ("title", "Kokemäen kaupunki – Tekninen lautakunta"),
    ("p", "PÖYTÄKIRJA 4/2025"),
    ("p", "Kokousaika: tiistai 8.4.2025 klo 17.00–19.20"),
    ("p", "Kokouspaikka: Kaupungintalo, valtuustosali"),
    ("label", "Saapuvilla olleet jäsenet"),
    ("table", [["Nimi", "Tehtävä", "Huomautus"],
               ["Juha Leppänen", "puheenjohtaja", ""],
               ["Satu Vainio", "varapuheenjohtaja", ""],
               ["Kari Lahtinen", "jäsen", ""],
               ["Jaana Mäkinen", "jäsen", ""],
               ["Mika Rantanen", "jäsen", "esteellinen § 30"],
               ["Tarja Salo", "jäsen", ""],
               ["Ismo Kivelä", "jäsen", "Pirjo Aaltosen varajäsen"]]),
    ("label", "Poissa"),
    ("p", "Pirjo Aaltonen"),
    ("label", "Muut saapuvilla olleet"),
    ("p", "Harri Kujala, tekninen johtaja, esittelijä\nAnne Virtanen, toimistosihteeri,"
          " pöytäkirjanpitäjä\nReijo Heikkinen, kaupunginhallituksen edustaja"),
    ("label", "Käsitellyt asiat"),
    ("p", "§ 28–33"),
    ("label", "Allekirjoitukset"),
    ("p", "Juha Leppänen, puheenjohtaja\nAnne Virtanen, pöytäkirjanpitäjä"),
    ("label", "Pöytäkirjan tarkastus"),
    ("p", "Pöytäkirja on tarkastettu 10.4.2025. Jaana Mäkinen ja Mika Rantanen"),
    ("label", "Pöytäkirja yleisesti nähtävänä"),
    ("p", "Kokemäen kaupungin verkkosivuilla 11.4.2025"),
    ("page",),
    ("h", "§ 28 Kokouksen laillisuus ja päätösvaltaisuus sekä pöytäkirjantarkastajien valinta"),
    ("label", "Päätös"),
    ("p", "Kokous todettiin lailliseksi ja päätösvaltaiseksi. Pöytäkirjantarkastajiksi valittiin Jaana"
          " Mäkinen ja Mika Rantanen."),
    ("h", "§ 29 Katuvalaistuksen LED-saneerauksen urakan hankinta"),
    ("p", "KOKDno-2025-41"),
    ("label", "Valmistelija"),
    ("p", "kunnossapitopäällikkö Timo Laaksonen, puh. 044 560 7731"),
    ("label", "Selostus"),
    ("p", "Talousarviossa 2025 on varattu 300 000 euroa katuvalaistuksen vaihtamiseen LED-valaisimiin"
          " Kokemäen keskustassa, Kauvatsalla ja Peipohjassa. Saneerauksessa vaihdetaan noin 1 100"
          " elohopea- ja natriumvalaisinta. Energiansäästön arvioidaan olevan 62 prosenttia."
          " Urakasta saatiin määräaikaan mennessä neljä tarjousta. Halvimman hinnan tarjosi"
          " Valoasennus Lounais Oy, 265 400 euroa (alv 0 %). Urakka valmistuu 30.11.2025 mennessä."),
    ("label", "Päätösehdotus"),
    ("p", "Tekninen lautakunta hyväksyy Valoasennus Lounais Oy:n tarjouksen 265 400 euroa (alv 0 %) ja"
          " valtuuttaa teknisen johtajan allekirjoittamaan urakkasopimuksen."),
    ("label", "Päätös"),
    ("p", "Hyväksyttiin yksimielisesti."),
    ("h", "§ 30 Asemakaavan muutos, keskustan kortteli 12 (Tulkkilantien varsi)"),
    ("p", "KOKDno-2024-318"),
    ("label", "Valmistelija"),
    ("p", "kaavoitusarkkitehti Laura Heino, puh. 044 560 7715"),
    ("label", "Esteellisyys"),
    ("p", "Mika Rantanen ilmoitti olevansa esteellinen, koska hänen veljensä omistaa kaava-alueella"
          " sijaitsevan kiinteistön (hallintolain 28 § 1 mom. 2 kohta). Hän poistui kokouksesta asian"
          " käsittelyn ajaksi."),
    ("label", "Selostus"),
    ("p", "Asemakaavan muutoksella entinen meijerin tontti muutetaan asuin- ja liikerakennusten"
          " korttelialueeksi. Alueelle voidaan rakentaa noin 60 asuntoa, joista osa on tarkoitettu"
          " senioreille, ja liiketiloja katutasoon. Kaavaluonnoksesta saatiin kaksi mielipidettä."
          " Kaupunginhallitus päättää kaavaehdotuksen asettamisesta nähtäville."),
    ("label", "Päätösehdotus"),
    ("p", "Tekninen lautakunta esittää kaupunginhallitukselle, että korttelin 12 asemakaavan muutosehdotus"
          " asetetaan julkisesti nähtäville 30 päiväksi."),
    ("label", "Päätös"),
    ("p", "Hyväksyttiin yksimielisesti."),
    ("h", "§ 31 Uimahallin peruskorjauksen hankesuunnitelma"),
    ("p", "KOKDno-2024-255"),
    ("label", "Valmistelija"),
    ("p", "tilapalvelupäällikkö Merja Kallio, puh. 044 560 7720"),
    ("label", "Selostus"),
    ("p", "Kokemäen uimahalli on valmistunut vuonna 1981. Hankesuunnitelman mukaan peruskorjauksessa"
          " uusitaan allastekniikka, ilmanvaihto ja pukuhuoneet, ja halliin lisätään terapia-allas."
          " Kustannusarvio on 4,8 miljoonaa euroa, ja uimahalli olisi suljettuna syyskuusta 2026"
          " elokuuhun 2027."),
    ("label", "Päätösehdotus"),
    ("p", "Tekninen lautakunta hyväksyy uimahallin peruskorjauksen hankesuunnitelman ja esittää sen"
          " kaupunginhallituksen ja kaupunginvaltuuston hyväksyttäväksi."),
    ("label", "Käsittely"),
    ("p", "Satu Vainio ehdotti Ismo Kivelän kannattamana, että asia pannaan pöydälle seuraavaan"
          " kokoukseen, jotta hankesuunnitelmaan lisätään selvitys aurinkolämmön ja lämmön"
          " talteenoton vaihtoehdoista. Pöydällepanoehdotus hyväksyttiin yksimielisesti."),
    ("label", "Päätös"),
    ("p", "Asia pantiin pöydälle."),
    ("h", "§ 32 Peipohjan jätevedenpumppaamon saneeraus"),
    ("p", "KOKDno-2025-12"),
    ("label", "Valmistelija"),
    ("p", "vesihuoltopäällikkö Jari Ketola, puh. 044 560 7740"),
    ("label", "Selostus"),
    ("p", "Peipohjan jätevedenpumppaamo on rakennettu vuonna 1978, ja sen pumput ja sähkökeskus ovat"
          " käyttöikänsä lopussa. Saneerauksen kustannusarvio on 180 000 euroa. Saneerattu pumppaamo"
          " liitetään kaukovalvontaan."),
    ("label", "Päätösehdotus"),
    ("p", "Tekninen lautakunta päättää, että Peipohjan jätevedenpumppaamo saneerataan vuonna 2025"
          " 180 000 euron kustannusarvion mukaisesti."),
    ("label", "Käsittely"),
    ("p", "Tarja Salo ehdotti Kari Lahtisen kannattamana, että asia palautetaan uudelleen"
          " valmisteltavaksi, jotta selvitetään pumppaamon siirtäminen tulvariskialueen"
          " ulkopuolelle. Puheenjohtaja totesi, että on äänestettävä. Asian käsittelyn jatkamista"
          " kannattavat äänestävät jaa, palauttamista kannattavat ei."),
    ("table", [["Jäsen", "Jaa", "Ei"],
               ["Juha Leppänen", "x", ""], ["Satu Vainio", "x", ""], ["Ismo Kivelä", "x", ""],
               ["Kari Lahtinen", "", "x"], ["Jaana Mäkinen", "", "x"], ["Mika Rantanen", "", "x"],
               ["Tarja Salo", "", "x"], ["Yhteensä", "3", "4"]]),
    ("label", "Päätös"),
    ("p", "Asia palautettiin uudelleen valmisteltavaksi äänin 4–3."),
    ("p", "Juha Leppänen jätti päätöksestä eriävän mielipiteen."),
    ("h", "§ 33 Ilmoitusasiat"),
    ("label", "Päätös"),
    ("p", "Merkittiin tiedoksi."),
]


def main() -> None:
    build(HERE / "dev" / "mariehamn_stadsstyrelsen_protokoll_2025-03-04.docx",
          "Mariehamns stad | Stadsstyrelsen | Protokoll 4/2025 | 4.3.2025",
          "Stadsstyrelsen protokoll 4/2025", "Mariehamns stad",
          dt.datetime(2025, 3, 6, 12, tzinfo=dt.UTC), MARIEHAMN)
    build(HERE / "test" / "kokemaki_tekninen_lautakunta_poytakirja_2025-04-08.docx",
          "Kokemäen kaupunki | Tekninen lautakunta | Pöytäkirja 4/2025 | 8.4.2025",
          "Tekninen lautakunta pöytäkirja 4/2025", "Kokemäen kaupunki",
          dt.datetime(2025, 4, 10, 12, tzinfo=dt.UTC), KOKEMAKI)
    print("written: dev/mariehamn_stadsstyrelsen_protokoll_2025-03-04.docx,"
          " test/kokemaki_tekninen_lautakunta_poytakirja_2025-04-08.docx")


if __name__ == "__main__":
    main()

"""Generate tests/data/sv_handlingsplan.pdf: a fictional Swedish action plan in the shape of real ones.

Run once and commit the PDF: `python tests/data/make_handlingsplan_pdf.py`. The PDF exercises what
text extraction does to such plans: a running header and a "Sida N av M" footer on every page,
numbered headings, wrapped lines, and actions whose "Ansvarig:" line is printed on the page after
the action's description (two actions span a page break on purpose).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
OUT = Path(__file__).with_name("sv_handlingsplan.pdf")
HEADER = "Vasa stad | Handlingsplan för digitalisering 2024–2026"


class Plan(FPDF):
    def header(self) -> None:
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, HEADER, new_x="LMARGIN", new_y="NEXT", align="R")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 8, f"Sida {self.page_no()} av {{nb}}", align="C")


def heading(pdf: Plan, text: str, size: int = 13) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", size)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)


def para(pdf: Plan, text: str) -> None:
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def action(pdf: Plan, title: str, text: str, owner: str, when: str, indicator: str, break_before_owner=False):
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    if break_before_owner:
        pdf.add_page()  # the description ends on one page, the responsible party is on the next
    for label, value in (("Ansvarig", owner), ("Tidplan", when), ("Indikator", indicator)):
        pdf.multi_cell(0, 5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def build() -> None:
    pdf = Plan(format="A4")
    pdf.set_creation_date(dt.datetime(2024, 1, 22, tzinfo=dt.UTC))
    pdf.set_title("Handlingsplan för digitalisering 2024–2026")
    pdf.set_author("Vasa stad")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 10, "Handlingsplan för digitalisering 2024–2026", new_x="LMARGIN", new_y="NEXT")
    para(pdf, "Vasa stad. Godkänd av stadsstyrelsen 2024-01-22 § 15.")

    heading(pdf, "1 Inledning")
    para(pdf, "Handlingsplanen för digitalisering genomför Vasa stads strategi för åren 2024–2026. Planen "
         "beskriver de åtgärder som staden vidtar för att invånarna ska kunna sköta sina ärenden digitalt, "
         "för att beslutsfattandet ska grunda sig på aktuell information och för att personalen ska ha den "
         "digitala kompetens som arbetet kräver.")
    para(pdf, "Planen har beretts av digitaliseringsenheten tillsammans med sektorerna under hösten 2023. "
         "Invånarna har kunnat lämna synpunkter i en enkät och vid två öppna verkstäder i stadsbiblioteket.")
    heading(pdf, "2 Mål")
    para(pdf, "Målet är att andelen ärenden som invånarna sköter digitalt ökar till minst 70 procent före "
         "utgången av 2026, att alla sektorer använder en gemensam informationsplattform för uppföljning "
         "och att varje anställd har genomgått grundutbildning i digital säkerhet.")
    heading(pdf, "2.1 Principer", 11)
    para(pdf, "Tjänsterna utvecklas tillsammans med användarna, de är tillgängliga på finska och svenska och "
         "ingen lämnas utanför: den som inte kan eller vill använda digitala tjänster får hjälp vid "
         "servicepunkterna.")

    heading(pdf, "3 Åtgärder")
    para(pdf, "Varje åtgärd har en ansvarig, en tidplan och en indikator. Åtgärderna följs upp två gånger "
         "per år i stadsstyrelsen.")
    heading(pdf, "3.1 Digitala tjänster för invånare", 11)
    action(pdf, "Åtgärd 3.1.1 Digital ansökan om småbarnspedagogik",
           "Ansökan om plats inom småbarnspedagogiken görs helt digitalt, och beslutet skickas till "
           "vårdnadshavarens e-tjänst i stället för per post.",
           "Bildningssektorn, chef för småbarnspedagogik Anna Lindqvist", "2024",
           "andelen digitala ansökningar är minst 90 %")
    action(pdf, "Åtgärd 3.1.2 Chattbot för stadens kundtjänst",
           "Stadens kundtjänst tar i bruk en chattbot som svarar på de vanligaste frågorna om avgifter, "
           "tomter och anmälningar dygnet runt. Chattboten lotsar invånaren vidare till en handläggare när "
           "frågan kräver det, och samtalen används för att förbättra stadens webbsidor.",
           "Kommunikationsenheten, kundtjänstchef Mikael Nyström", "2024–2025",
           "minst 30 % av frågorna besvaras utan handläggare", break_before_owner=True)
    action(pdf, "Åtgärd 3.1.3 Digitalt stöd vid servicepunkterna",
           "Servicepunkterna i stadsbiblioteket och i Sundom erbjuder personlig handledning i digitala "
           "tjänster två dagar i veckan.",
           "Kultursektorn, bibliotekschef Eva Holmberg", "2024–2026",
           "1 000 handledningstillfällen per år")

    heading(pdf, "3.2 Datadriven ledning", 11)
    action(pdf, "Åtgärd 3.2.1 Gemensam informationsplattform",
           "Staden inför en gemensam informationsplattform där ekonomi-, personal- och verksamhetsdata "
           "samlas och görs tillgängliga för ledningen och de förtroendevalda i form av översikter.",
           "Koncernförvaltningen, IT-direktör Johan Berg", "2024–2025",
           "plattformen används av alla sektorer")
    action(pdf, "Åtgärd 3.2.2 Öppna data",
           "Staden publicerar sina datamängder om trafik, miljö och service som öppna data i ett "
           "maskinläsbart format. Publiceringen sker stegvis och prioriteras enligt efterfrågan från "
           "invånare, företag och forskare, och varje datamängd får en namngiven ägare inom sektorerna som "
           "svarar för att uppgifterna hålls aktuella och korrekta.",
           "Digitaliseringsenheten, digitaliseringsdirektör Sara Westerlund", "2025–2026",
           "minst 20 publicerade datamängder", break_before_owner=True)

    heading(pdf, "3.3 Digital kompetens", 11)
    action(pdf, "Åtgärd 3.3.1 Grundutbildning i digital säkerhet",
           "Alla anställda genomgår en webbaserad grundutbildning i informationssäkerhet och dataskydd.",
           "Personalsektorn, personaldirektör Maria Sjöberg", "2024",
           "andelen anställda som genomgått utbildningen är 100 %")
    action(pdf, "Åtgärd 3.3.2 Nätverk för digitala stödpersoner",
           "Varje sektor utser digitala stödpersoner som hjälper sina kolleger att ta i bruk nya verktyg.",
           "Sektorcheferna", "2024–2026", "minst en stödperson per arbetsenhet")

    pdf.add_page()
    heading(pdf, "4 Uppföljning")
    para(pdf, "Digitaliseringsdirektören ansvarar för att planen följs upp och rapporterar till "
         "stadsstyrelsen i maj och november varje år. Planen uppdateras i samband med budgeten.")
    heading(pdf, "5 Kontakt")
    para(pdf, "Mer information: digitaliseringsdirektör Sara Westerlund, tfn 040 123 4567, "
         "sara.westerlund@vasa.fi")
    pdf.output(str(OUT))


if __name__ == "__main__":
    build()

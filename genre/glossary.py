"""The cross-language vocabulary of municipal strategies and minutes: one concept a line, its
English | Finnish | Swedish terms (lemmas), comma-separated.

One table rather than a list in each language's module, because a line is what aligns the three: an
English question about a Finnish roadmap meets the document through it (`genre.glossary_concepts`;
read by assistant/question/glossary.py, which lemmatises and indexes it).
"""

CONCEPTS = """
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

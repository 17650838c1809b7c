"""Typed records passed between ingestion stages: load → parse → chunk → store.

Each stage takes one of these and returns the next; none is mutated on the way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# What a section of a document is for. The answerer leans on these: a question about
# what was decided reads `decision` sections, never `proposal` ones.
SECTION_KINDS = (
    "title",  # the document or item title
    "item_header",  # body/date/§/case-number lines of a minutes item
    "preparer",  # Valmistelija / Valmistelu / Beredare
    "presenter",  # Esittelijä / Föredragande
    "background",  # Selostus / Perustelut / Asian tausta / Ärendebeskrivning
    "documents",  # Beslutsunderlag
    "proposal",  # Päätösehdotus / Ehdotus / Förslag till beslut
    "handling",  # Käsittely / Beslutsgång / Propositionsordning / Omröstning
    "motions",  # Yrkanden
    "decision",  # Päätös / Beslut
    "reservation",  # Reservation / Protokollsanteckning
    "attachments",  # Liitteet / Bilagor
    "distribution",  # Tiedoksi / Expedieras till / Beslutet skickas till
    "appeal",  # Muutoksenhaku / Besvärsanvisning
    "contact",  # Lisätiedot / Mer information
    "heading",  # a numbered or titled section of a strategy, web page or news item
    "actions",  # an action list/table with responsible parties
    "meeting",  # a protocol's cover page: organ, time, place, present/absent, chair, secretary, checkers
    "contents",  # a table of contents: checks the items found, never an answer
    "conflict",  # Jäv / Esteellisyys: who declared a conflict of interest
    "text",  # anything else
)
# Kinds that say where things are, not what was decided: the retriever and answerer leave them out.
NEVER_AN_ANSWER = frozenset({"contents"})


@dataclass(frozen=True)
class Line:
    """One line of extracted text, the 1-based page it is printed on (None where there are no pages),
    and its heading level where the format marks headings (HTML <h2>, Markdown ##, DOCX "Heading 2")."""

    text: str
    page: int | None = None
    level: int | None = None
    text_source: str = "text"  # "pdf" (a PDF's text layer) | "ocr" (Tesseract) | "text" (other formats)
    ocr_confidence: float | None = None  # Tesseract's mean word confidence (0-100) on OCR'd lines
    # What was put right in the extracted text: "ligatures" (letters of ligature glyphs the font's
    # ToUnicode map lost, put back from the lexicon; see ingest.load.ligatures), None when nothing was
    text_repair: str | None = None


@dataclass(frozen=True)
class PageOcr:
    """A PDF page whose text layer was checked and read again by OCR (see ingest.load.loaders.pdf_files)."""

    page: int  # 1-based
    # "damaged" (text layer unreadable) | "empty" (no text layer: a scan) | "ligatures" (the layer lost
    # the letters of its ligature glyphs: "tll", "efer"; where the OCR text is not used, the lexicon puts
    # them back, and the lines it changed carry Line.text_repair — as do those of pages not OCR'd)
    reason: str
    used: bool  # whether the OCR text replaced the text layer (it did not read better: kept)
    known_before: float  # lexicon hit rate of the text layer
    known_after: float  # … of the OCR text (of the repaired layer where the OCR text was not used)
    confidence: float  # Tesseract's mean word confidence
    cached: bool = False  # read from the OCR cache, not by Tesseract
    seconds: float = 0.0  # Tesseract's time on the page
    lost_before: float = 0.0  # "ligatures": lost-glyph words per 1,000 words in the text layer
    lost_after: float = 0.0  # … in the text the page ended with (OCR text, or the repaired layer)
    repaired: int = 0  # words the lexicon put back in the text layer (where the OCR text was not used)


@dataclass(frozen=True)
class LoadedDocument:
    """A file read into lines, page headers/footers removed, language detected."""

    path: Path
    source: str  # the file name: the document's identity in the index
    format: str  # "txt" | "md" | "html" | "pdf" | "docx"
    lines: tuple[Line, ...]
    language: str  # "fi" | "sv" | "en"
    file_hash: str  # sha256 of the raw bytes
    title: str | None = None  # from the format's own metadata (HTML <title>, PDF/DOCX properties)
    page_count: int | None = None
    ocr_pages: tuple[PageOcr, ...] = ()  # PDF pages that were OCR'd, and why

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class MeetingFacts:
    """A protocol's cover page: who met, when and where, who chaired, kept and checked the minutes, and
    when and where they are published. Names as printed; `time` and `published` as printed too."""

    organ: str | None = None
    date: str | None = None  # ISO
    time: str | None = None  # "29.5.2023 kl. 15.03-16.26"
    place: str | None = None
    items: str | None = None  # "§§ 15-38"
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # övriga närvarande / muut saapuvilla olleet, with roles
    chair: str | None = None
    vice_chair: str | None = None
    secretary: str | None = None
    checkers: tuple[str, ...] = ()
    published: str | None = None  # "www.nykarleby.fi 2.6.2023"


@dataclass(frozen=True)
class Section:
    """A run of lines under one heading; chunks never cross a section boundary.

    The handling fields (body, meeting_date, item) say whose handling of a minutes item the
    section belongs to: in "KH 14.10.2024 § 188 … Valtuusto 28.10.2024 § 50" the board's
    proposal and the council's decision carry different bodies and dates.
    """

    heading_path: tuple[str, ...]  # ("§ 15", "Päätös") or ("4 Toimenpiteet", "4.2 Digituen toimintamalli")
    kind: str  # one of SECTION_KINDS
    lines: tuple[Line, ...]
    body: str | None = None  # e.g. "Kunnanhallitus", "Kommunfullmäktige" (as written, capitalised)
    meeting_date: str | None = None  # ISO yyyy-mm-dd of that handling
    item: str | None = None  # the § number of that handling, e.g. "27"
    case_number: str | None = None  # e.g. "32/00.01.02/2025", "Dnr KS 2023/145"
    item_title: str | None = None  # the minutes item's title ("Seinäjoen kaupungin digitalisaatio-ohjelma")
    resolution: str | None = None  # decision sections: see RESOLUTIONS
    # What the parser read from the layout, so the answerer need not parse again (all optional):
    vote: str | None = None  # "18–9" (yes–no) where the handling records a count
    preparers: tuple[str, ...] = ()  # "personalchef Kristina Wikblad" (Beredning / Valmistelija)
    presenter: str | None = None  # Esittelijä / Föredragande, or the official whose proposal it is
    conflicts: tuple[str, ...] = ()  # who declared a conflict of interest (Jäv / Esteellisyys)
    ballots: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a roll call: (("no", ("Antti Harju", …)), …)
    meeting: MeetingFacts | None = None  # the cover page's facts ("meeting" sections)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def page(self) -> int | None:
        return next((line.page for line in self.lines if line.page is not None), None)


# Outcome classes for decision sections (after Helsinki's decision data).
RESOLUTIONS = (
    "approved",  # passed unchanged (the proposal is the decision)
    "approved_unanimously",
    "approved_after_vote",
    "amended",  # passed modified
    "rejected",
    "noted",  # merkittiin tiedoksi / antecknades till kännedom
    "returned",  # palautettiin valmisteltavaksi / återremitteras
    "tabled",  # pantiin pöydälle / bordläggs
    "referred",  # sent on to another body
    "election",
    "withdrawn",  # removed from the agenda / the proposal withdrawn
)


@dataclass(frozen=True)
class ParsedDocument:
    """A document split into sections, with what its header says about it."""

    source: str
    title: str
    language: str
    doc_type: str  # "minutes" | "agenda" | "strategy" | "web_page" | "news" | "document"
    sections: tuple[Section, ...]
    file_hash: str
    municipality: str | None = None  # nominative, e.g. "Kuopio", "Borgå"
    body: str | None = None  # the body whose minutes these are
    meeting_date: str | None = None  # ISO
    item: str | None = None
    case_number: str | None = None


@dataclass(frozen=True)
class Chunk:
    """A piece of one section, sized for the embedding model, with everything a citation needs."""

    id: str
    text: str
    source: str
    document_title: str
    chunk_index: int
    content_hash: str
    section: str  # heading path joined with " › "
    section_kind: str
    language: str
    doc_type: str
    municipality: str | None = None
    body: str | None = None
    meeting_date: str | None = None
    item: str | None = None
    case_number: str | None = None
    item_title: str | None = None  # what the item is about: a "Päätös" section's own text seldom says
    page: int | None = None
    resolution: str | None = None
    file_hash: str = ""
    text_source: str | None = None  # "pdf" | "ocr" | "text": where the chunk's text came from
    ocr_confidence: float | None = None  # mean Tesseract confidence of its OCR'd lines
    text_repair: str | None = None  # "ligatures": some of its lines had lost ligature letters put back
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def context_header(self) -> str:
        """The line that tells a reader (and the embedder) where this text stands."""
        where = " ".join(p for p in (self.body, self.meeting_date, self.item and f"§ {self.item}",
                                     self.item_title) if p)
        parts = [self.document_title, self.municipality or "", where, self.section]
        return " | ".join(p for p in parts if p)

    @property
    def embed_text(self) -> str:
        return f"{self.context_header}\n{self.text}"

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store (Chroma takes no None values)."""
        data = asdict(self)
        data.pop("text")
        data.pop("id")
        data.pop("extra")
        data.update(self.extra)
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, metadata: dict) -> Chunk:
        known = {f for f in cls.__dataclass_fields__ if f not in ("id", "text", "extra")}
        kwargs: dict[str, Any] = {k: metadata.get(k) for k in known if k in metadata}
        extra = {k: str(v) for k, v in metadata.items() if k not in known}
        return cls(id=chunk_id, text=text, extra=extra, **kwargs)

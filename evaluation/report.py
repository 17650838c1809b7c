"""Present an EvalResult: a terminal table, a JSON dump, and report.md with a bar chart.

The table puts the shipped configuration (`system`) beside each baseline with the difference, since
the question an evaluation run answers is "did this change make the system better or worse".
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .run import BASELINE, EvalResult

logger = logging.getLogger(__name__)

MAIN_FIGURES = ("recall@5", "mrr", "ndcg@10", "doc_recall@5", "key_fact_accuracy", "citation_precision",
                "citation_recall", "abstention_precision", "abstention_recall", "answer_accuracy",
                "latency_p50_ms", "latency_p95_ms")
CHART_FIGURES = ("recall@5", "mrr", "key_fact_accuracy", "citation_precision", "citation_recall",
                 "abstention_recall", "answer_accuracy")
LANGUAGES = ("fi", "sv", "en")


def scopes(result: EvalResult) -> list[str]:
    """`overall` and the languages present in the gold set."""
    langs = {lang for c in result.configs.values() for lang in c.figures["by_language"]}
    return ["overall"] + [f"language:{lang}" for lang in LANGUAGES if lang in langs]


def fmt(name: str, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if name.endswith("_ms") else f"{value:.3f}"


def _delta(name: str, value: float | None, base: float | None) -> str:
    if value is None or base is None:
        return ""
    digits = 0 if name.endswith("_ms") else 3
    diff = round(value - base, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f" ({diff:+.{digits}f})"


def rows(result: EvalResult, scope: str) -> list[list[str]]:
    """One row per main figure: name, then each config's value (baselines with their Δ to system)."""
    names = list(result.configs)
    base = result.figures(BASELINE, scope) if BASELINE in result.configs else None
    out = []
    for fig in ("n",) + MAIN_FIGURES:
        row = [fig]
        for name in names:
            value = result.figures(name, scope).get(fig)
            cell = str(value) if fig == "n" else fmt(fig, value)
            if base is not None and name != BASELINE and fig != "n":
                cell += _delta(fig, value, base.get(fig))
            row.append(cell)
        out.append(row)
    return out


def print_tables(result: EvalResult, console: Console | None = None) -> None:
    """The main figures, system vs each baseline, overall and per language."""
    if console is None:
        console = Console()
        if not console.is_terminal:  # piped into a log: do not squeeze the table to 80 columns
            console = Console(width=120)
    for scope in scopes(result):
        table = Table(title=f"{scope} — {Path(result.goldset).name}", title_justify="left")
        table.add_column("figure", no_wrap=True)
        for name in result.configs:
            table.add_column(name if name == BASELINE else f"{name} (Δ)", justify="right", no_wrap=True)
        for row in rows(result, scope):
            table.add_row(*row)
        console.print(table)


def write_json(result: EvalResult, path: str | Path) -> Path:
    """Every figure and every per-question record."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def plot(result: EvalResult, path: str | Path) -> Path:
    """Grouped bars: main fractional figures per configuration, one panel per scope."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    panels = scopes(result)
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, 3.2 * len(panels)), squeeze=False)
    x = np.arange(len(CHART_FIGURES))
    width = 0.8 / max(1, len(result.configs))
    for ax, scope in zip(axes[:, 0], panels, strict=True):
        for i, name in enumerate(result.configs):
            values = [result.figures(name, scope).get(f) or 0.0 for f in CHART_FIGURES]
            ax.bar(x + i * width - 0.4 + width / 2, values, width, label=name)
        ax.set_xticks(x, CHART_FIGURES, fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.set_title(scope)
        ax.grid(axis="y", alpha=0.3)
    axes[0, 0].legend(ncols=len(result.configs), fontsize=8)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _md_table(header: list[str], body: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]


def _where(item: dict) -> str:
    page = f" p. {item['page']}" if item.get("page") is not None else ""
    section = item.get("section")
    section = " / ".join(section) if isinstance(section, list) else section
    return f"{item.get('source')} › {section or '(any section)'}{page}"


def _failure(rec: dict) -> list[str]:
    answer = rec["answer"].replace("\n", " ")
    answer = answer[:400] + ("…" if len(answer) > 400 else "")
    lines = [f"#### {rec['id']} ({rec['language']}, {rec['type']})", f"- **Q:** {rec['question']}",
             f"- **Answered:** {'[abstained] ' if rec['abstained'] else ''}{answer or '(empty)'}"]
    if rec.get("error"):
        lines.append(f"- **Error:** {rec['error']}")
    lines.append("- **Cited:** " + ("; ".join(_where(c) for c in rec["citations"]) or "nothing"))
    if rec["answerable"]:
        lines.append("- **Expected sources:** " + "; ".join(_where(e) for e in rec["expected_sources"]))
        lines.append(f"- **Missing key facts:** {rec['missing_key_facts']}  · retrieval ranks {rec['ranks']}")
    else:
        lines.append("- **Expected:** abstention (the documents do not answer this)")
    return lines + [""]


def markdown(result: EvalResult, chart_name: str | None = "chart.png") -> str:
    """report.md: figures per scope and per type, the chart, and the failed questions."""
    lines = [f"# Evaluation: {Path(result.goldset).name}", "",
             f"{result.questions} questions · started {result.started} · configurations: "
             + ", ".join(f"`{n}` {c.overrides}" for n, c in result.configs.items()), ""]
    for scope in scopes(result):
        header = ["figure"] + [n if n == BASELINE else f"{n} (Δ vs {BASELINE})" for n in result.configs]
        lines += [f"## {scope}", ""] + _md_table(header, rows(result, scope)) + [""]
    for name, cfg in result.configs.items():
        types = sorted(cfg.figures["by_type"])
        body = [[fig] + [fmt(fig, cfg.figures["by_type"][t].get(fig)) for t in types] for fig in MAIN_FIGURES]
        lines += [f"## By question type: `{name}`", ""] + _md_table(["figure", *types], body) + [""]
    if chart_name:
        lines += [f"![main figures per configuration and language]({chart_name})", ""]
    for name, cfg in result.configs.items():
        failed = [r for r in cfg.records if not r["correct"]]
        lines += [f"## Failed questions: `{name}` ({len(failed)} of {len(cfg.records)})", ""]
        if name == BASELINE or BASELINE not in result.configs:
            for rec in failed:
                lines += _failure(rec)
        else:
            lines += [", ".join(r["id"] for r in failed) or "none", ""]
    return "\n".join(lines)


def write_report(result: EvalResult, out_dir: str | Path) -> Path:
    """report.md, chart.png and results.json in out_dir; returns the report's path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plot(result, out / "chart.png")
    write_json(result, out / "results.json")
    report = out / "report.md"
    report.write_text(markdown(result), encoding="utf-8")
    logger.info("wrote %s", report)
    return report

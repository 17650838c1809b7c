"""Present an EvalResult: a terminal table, a JSON dump, and report.md with a bar chart.

The table puts the shipped configuration (`system`) beside each baseline with the difference, since
the question an evaluation run answers is "did this change make the system better or worse".
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .run import BASELINE, EvalResult
from .split_runs import SplitsResult

logger = logging.getLogger(__name__)

MAIN_FIGURES = ("recall@5", "mrr", "ndcg@10", "doc_recall@5", "key_fact_accuracy", "citation_precision",
                "citation_recall", "abstention_precision", "abstention_recall", "answer_accuracy",
                "paraphrase_consistency", "latency_p50_ms", "latency_p95_ms")
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
    return _save(fig, path)


def _save(fig: Any, path: str | Path) -> Path:
    """Write a chart (folders made as needed) and free its figure."""
    import matplotlib.pyplot as plt

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


def markdown(result: EvalResult, chart_name: str | None = "chart.png", failures: bool = True,
             level: int = 1) -> str:
    """report.md: figures per scope and per type, the chart, and the failed questions (`failures=False`:
    their ids only, for the held-out test split whose failures nobody should read to tune)."""
    h = "#" * level
    lines = [f"{h} Evaluation: {Path(result.goldset).name}", "",
             f"{result.questions} questions · started {result.started} · configurations: "
             + ", ".join(f"`{n}` {c.overrides}" for n, c in result.configs.items()), ""]
    for scope in scopes(result):
        header = ["figure"] + [n if n == BASELINE else f"{n} (Δ vs {BASELINE})" for n in result.configs]
        lines += [f"{h}# {scope}", ""] + _md_table(header, rows(result, scope)) + [""]
    for name, cfg in result.configs.items():
        types = sorted(cfg.figures["by_type"])
        body = [[fig] + [fmt(fig, cfg.figures["by_type"][t].get(fig)) for t in types] for fig in MAIN_FIGURES]
        lines += [f"{h}# By question type: `{name}`", ""] + _md_table(["figure", *types], body) + [""]
    if chart_name:
        lines += [f"![main figures per configuration and language]({chart_name})", ""]
    for name, cfg in result.configs.items():
        failed = [r for r in cfg.records if not r["correct"]]
        lines += [f"{h}# Failed questions: `{name}` ({len(failed)} of {len(cfg.records)})", ""]
        if failures and (name == BASELINE or BASELINE not in result.configs):
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


# --- dev and test side by side -------------------------------------------------------------------

SIDE_FIGURES = ("key_fact_accuracy", "citation_precision", "citation_recall", "abstention_precision",
                "abstention_recall", "answer_accuracy", "paraphrase_consistency", "recall@5", "mrr",
                "latency_p95_ms")
BASELINE_FIGURES = ("key_fact_accuracy", "citation_precision", "abstention_recall", "answer_accuracy",
                    "paraphrase_consistency")
CURVE_ROWS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def split_scopes(result: SplitsResult, config: str = BASELINE) -> list[str]:
    """overall, the languages, then the question types present in any split."""
    langs: set[str] = set()
    types: set[str] = set()
    for run in result.runs.values():
        if config in run.result.configs:
            langs |= set(run.result.configs[config].figures["by_language"])
            types |= set(run.result.configs[config].figures["by_type"])
    return (["overall"] + [f"language:{lang}" for lang in LANGUAGES if lang in langs]
            + [f"type:{t}" for t in sorted(types)])


def _gap(name: str, dev: float | None, test: float | None) -> str:
    return _delta(name, test, dev).strip(" ()") if dev is not None and test is not None else ""


def side_rows(result: SplitsResult, config: str, scope: str,
              figures: tuple[str, ...] = ("n", "groups", *SIDE_FIGURES)) -> list[list[str]]:
    """[figure, dev, test, gap (test − dev)] per figure; a split that was not run shows –."""
    out = []
    for fig in figures:
        dev = result.figures("dev", config, scope).get(fig)
        test = result.figures("test", config, scope).get(fig)
        if fig in ("n", "groups"):
            out.append([fig, "–" if dev is None else str(dev), "–" if test is None else str(test), ""])
        else:
            out.append([fig, fmt(fig, dev), fmt(fig, test), _gap(fig, dev, test)])
    return out


def _split_title(result: SplitsResult, split: str) -> str:
    run = result.runs.get(split)
    if run is None:
        return f"{split} (not run)"
    return f"{split}{' PARTIAL' if run.partial else ''}"


def print_side_by_side(result: SplitsResult, console: Console | None = None) -> None:
    """The system's figures, dev beside test with the gap, overall, per language and per type."""
    if console is None:
        console = Console()
        if not console.is_terminal:
            console = Console(width=120)
    for scope in split_scopes(result):
        table = Table(title=f"{BASELINE} · {scope}", title_justify="left")
        table.add_column("figure", no_wrap=True)
        for split in ("dev", "test"):
            table.add_column(_split_title(result, split), justify="right", no_wrap=True)
        table.add_column("gap (test − dev)", justify="right", no_wrap=True)
        for row in side_rows(result, BASELINE, scope):
            table.add_row(*row)
        console.print(table)
    for line in status_lines(result):
        console.print(line)


def status_lines(result: SplitsResult) -> list[str]:
    """What a reader must know before trusting the figures: missing documents, skipped questions."""
    lines = []
    for split, run in result.runs.items():
        files = ", ".join(p.name for p in run.goldset.files)
        lines.append(f"{split}: {run.result.questions} questions from {files} on "
                     f"{len(run.documents.files)} documents (index {run.index_dir})")
        if run.documents.missing:
            lines.append(f"{split} PARTIAL: missing {', '.join(run.documents.missing)}")
        if run.goldset.skipped:
            lines.append(f"{split}: {len(run.goldset.skipped)} questions skipped (documents missing here)")
        for name, reason in run.ingest.get("skipped", []):
            lines.append(f"{split} PARTIAL: ingest skipped {name}: {reason}")
    return lines


def _curve_tables(result: SplitsResult, config: str = BASELINE) -> list[str]:
    lines: list[str] = []
    for split, run in result.runs.items():
        cfg = run.result.configs.get(config)
        if cfg is None or not cfg.curves:
            continue
        for scope, points in cfg.curves.items():
            shown = [p for p in points if p["threshold"] in CURVE_ROWS]
            body = [[f"{p['threshold']:.2f}"] + [fmt(k, p[k]) for k in (
                "abstention_precision", "abstention_recall", "answer_accuracy", "answered")] for p in shown]
            n = points[0]["n"] if points else 0
            lines += [f"### {split} · {scope} ({n} questions with a confidence)", ""]
            lines += _md_table(["abstain below", "abstention precision", "abstention recall",
                                "answer accuracy", "answered"], body) + [""]
    return lines


def splits_markdown(result: SplitsResult, chart_name: str | None = "chart.png",
                    curves_name: str | None = "curves.png") -> str:
    """report.md of a split run: dev and test side by side (system), baselines, the abstention curve
    over confidence thresholds when answers carry one, then each split's own tables. Failed questions
    are given in full for dev only; for test only their ids (test is reported, never tuned on)."""
    lines = ["# Evaluation: dev and test side by side", ""]
    lines += [f"- {line}" for line in status_lines(result)] + [""]
    lines += ["The gap is test − dev. The split is by document (evaluation/split.json): test documents "
              "and questions are only reported, never read to change a rule, word list, weight or "
              "threshold.", ""]
    header = ["figure", _split_title(result, "dev"), _split_title(result, "test"), "gap (test − dev)"]
    for scope in split_scopes(result):
        table = _md_table(header, side_rows(result, BASELINE, scope))
        lines += [f"## `{BASELINE}` · {scope}", "", *table, ""]
    configs = list(dict.fromkeys(c for run in result.runs.values() for c in run.result.configs))
    if len(configs) > 1:
        lines += ["## All configurations, overall (dev / test / gap)", ""]
        body = []
        for fig in BASELINE_FIGURES:
            row = [fig]
            for config in configs:
                dev, test = (result.figures(s, config).get(fig) for s in ("dev", "test"))
                row.append(f"{fmt(fig, dev)} / {fmt(fig, test)} / {_gap(fig, dev, test) or '–'}")
            body.append(row)
        lines += _md_table(["figure", *configs], body) + [""]
    if chart_name:
        lines += [f"![dev and test side by side]({chart_name})", ""]
    curve_lines = _curve_tables(result)
    if curve_lines:
        lines += ["## Abstention over the answer's confidence (abstain when confidence < threshold)", ""]
        lines += curve_lines
        if curves_name:
            lines += [f"![abstention precision/recall per language]({curves_name})", ""]
    for split, run in result.runs.items():
        lines += [f"# Split `{split}`", ""]
        warnings = run.goldset.warnings
        if warnings:
            more = " …" if len(warnings) > 20 else ""
            lines += [f"Gold-set warnings ({len(warnings)}): " + "; ".join(warnings[:20]) + more, ""]
        lines.append(markdown(run.result, chart_name=None, failures=split != "test", level=2))
    return "\n".join(lines)


def plot_side_by_side(result: SplitsResult, path: str | Path) -> Path:
    """Bars: the system's main figures on dev and on test, one panel per scope (overall, languages)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    panels = [s for s in split_scopes(result) if not s.startswith("type:")]
    figures = [f for f in SIDE_FIGURES if not f.endswith("_ms")]
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, 3.2 * len(panels)), squeeze=False)
    x = np.arange(len(figures))
    for ax, scope in zip(axes[:, 0], panels, strict=True):
        for i, split in enumerate(("dev", "test")):
            values = [result.figures(split, BASELINE, scope).get(f) or 0.0 for f in figures]
            ax.bar(x + (i - 0.5) * 0.4, values, 0.4, label=_split_title(result, split))
        ax.set_xticks(x, figures, fontsize=7)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{BASELINE} · {scope}")
        ax.grid(axis="y", alpha=0.3)
    axes[0, 0].legend(fontsize=8)
    return _save(fig, path)


def plot_curves(result: SplitsResult, path: str | Path) -> Path | None:
    """Abstention precision against recall over confidence thresholds, per language, one panel per
    split; None when no answer had a confidence."""
    runs = [(s, r.result.configs[BASELINE].curves) for s, r in result.runs.items()
            if BASELINE in r.result.configs and r.result.configs[BASELINE].curves]
    if not runs:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(runs), figsize=(5.5 * len(runs), 4.5), squeeze=False)
    for ax, (split, curves) in zip(axes[0], runs, strict=True):
        for scope, points in curves.items():
            pts = [(p["abstention_recall"], p["abstention_precision"]) for p in points
                   if p["abstention_recall"] is not None and p["abstention_precision"] is not None]
            if pts:
                ax.plot(*zip(*pts, strict=True), marker=".", label=scope)
        ax.set_xlabel("abstention recall")
        ax.set_ylabel("abstention precision")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_title(f"{BASELINE} · {_split_title(result, split)}")
        ax.grid(alpha=0.3)
        if ax.get_lines():  # no line when no scope had an unanswerable question
            ax.legend(fontsize=8)
    return _save(fig, path)


def write_splits_report(result: SplitsResult, out_dir: str | Path) -> Path:
    """report.md, chart.png, curves.png (when answers carry a confidence) and results.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plot_side_by_side(result, out / "chart.png")
    curves = plot_curves(result, out / "curves.png")
    (out / "results.json").write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), "utf-8")
    report = out / "report.md"
    report.write_text(splits_markdown(result, curves_name="curves.png" if curves else None), encoding="utf-8")
    logger.info("wrote %s", report)
    return report

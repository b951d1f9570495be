"""Synthetic reports for tests, the benchmark and fuzzing.

    from ogi.testing import generate, render
    report = generate(seed=3, format_version="2021")      # clean: every identity holds, on time
    data = render(report, "html", "word")                  # bytes of a Word-pasted page
    bad = report.unbalanced("natural_person", 2).late(20)  # derived defects, recorded in bad.defects

`generate` / `SynthReport` are in `synth.py`; the renderers and `write_corpus` in `render.py`.
"""

from ogi.testing.render import (
    CLEAN_HTML_STYLES,
    CLEAN_STYLES,
    EXTENSIONS,
    HTML_STYLES,
    CJKFontNotFound,
    HtmlStyle,
    corpus_speed,
    find_cjk_font,
    render,
    render_docx,
    render_html,
    render_json,
    render_markdown,
    render_pdf,
    render_txt,
    render_xlsx,
    write_corpus,
)
from ogi.testing.synth import SynthReport, cn_date, cn_numeral_date, generate, generate_many

__all__ = [
    "CLEAN_HTML_STYLES",
    "CLEAN_STYLES",
    "EXTENSIONS",
    "HTML_STYLES",
    "CJKFontNotFound",
    "HtmlStyle",
    "SynthReport",
    "cn_date",
    "cn_numeral_date",
    "corpus_speed",
    "find_cjk_font",
    "generate",
    "generate_many",
    "render",
    "render_docx",
    "render_html",
    "render_json",
    "render_markdown",
    "render_pdf",
    "render_txt",
    "render_xlsx",
    "write_corpus",
]

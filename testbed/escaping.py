"""Escaping for every text that comes from a store or a user (claim records, user objects' names, exception
messages) before it enters HTML, Markdown or LaTeX: a store file shared by a colleague cannot inject markup."""
from __future__ import annotations

import html
import json
import math

__all__ = ["html_escape", "markdown_escape", "latex_escape", "strict_json"]


def _finite(x):
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_finite(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if hasattr(x, "dtype") and hasattr(x, "tolist"):        # NumPy scalars and arrays
        return _finite(x.tolist())
    return x


def strict_json(obj, **kwargs) -> str:
    """JSON that every parser reads: a non-finite float (an undetectable loss is infinite, say) is written as the
    string "inf", "-inf" or "nan" instead of the bare tokens Python's json writes by default."""
    return json.dumps(_finite(obj), allow_nan=False, **kwargs)


def html_escape(x) -> str:
    return html.escape(str(x), quote=True)


def markdown_escape(x) -> str:
    """Text safe in a Markdown table cell or paragraph: one line, pipes and markup escaped (so HTML embedded in a
    record renders as text, not as markup)."""
    text = " ".join(str(x).split())
    text = html.escape(text, quote=False)
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "$"):
        text = text.replace(ch, "\\" + ch)
    return text


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
_LATEX_UNICODE = {"μ": r"$\mu$", "δ": r"$\delta$", "Δ": r"$\Delta$", "ε": r"$\varepsilon$", "γ": r"$\gamma$",
                  "η": r"$\eta$", "ρ": r"$\rho$", "σ": r"$\sigma$", "τ": r"$\tau$", "φ": r"$\phi$", "λ": r"$\lambda$",
                  "β": r"$\beta$", "α": r"$\alpha$", "ω": r"$\omega$", "π": r"$\pi$", "θ": r"$\theta$",
                  "≥": r"$\geq$", "≤": r"$\leq$", "≈": r"$\approx$", "×": r"$\times$", "∞": r"$\infty$",
                  "±": r"$\pm$", "√": r"$\surd$", "–": "--", "—": "---", "’": "'", "‘": "`", "“": "``", "”": "''",
                  "…": r"\ldots{}", "²": r"$^2$", "³": r"$^3$", "∈": r"$\in$", "→": r"$\to$", "·": r"$\cdot$"}


def latex_escape(x) -> str:
    """Text safe in LaTeX: special characters escaped, common Unicode mathematics spelled as LaTeX, anything else
    outside Latin-1 replaced by '?' (pdflatex has no glyph for it)."""
    out = []
    for ch in " ".join(str(x).split()):
        if ch in _LATEX_SPECIAL:
            out.append(_LATEX_SPECIAL[ch])
        elif ch in _LATEX_UNICODE:
            out.append(_LATEX_UNICODE[ch])
        elif ord(ch) < 256:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)

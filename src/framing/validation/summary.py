"""How far each measure can be trusted, written from the validation tables."""

from __future__ import annotations

__all__ = ["trust_summary"]

import pandas as pd

from ..describe import escape_markdown


def _verdict(alpha: float) -> str:
    if alpha != alpha:
        return "undefined (a code almost never used)"
    if alpha >= 0.8:
        return "reliable (alpha >= 0.8)"
    if alpha >= 0.667:
        return "good enough for tentative conclusions only (0.667 <= alpha < 0.8)"
    return "not reliable (alpha < 0.667)"


def trust_summary(
    agreement: pd.DataFrame,
    tools: pd.DataFrame | None = None,
    cv: pd.DataFrame | None = None,
) -> str:
    """A Markdown list saying, from the numbers, how far each code and each tool can be trusted.

    Args:
        agreement: from :func:`framing.agreement` (the coders among themselves).
        tools: from :func:`framing.agreement_with` (tools against the coders' majority).
        cv: from :func:`framing.cross_validate_frames`.

    Returns:
        One bullet per code (the coders' alpha and its interval, with Krippendorff's verdict),
        per tool and code (F1 or accuracy, and alpha against the majority), and per frame of
        the cross-validation (the best model's F1 beside the baselines'). Thresholds: alpha
        0.8 for reliable, 0.667 for tentative (Krippendorff 2004, ch. 11).
    """
    e = escape_markdown
    out = []
    for r in agreement.itertuples(index=False):
        out.append(
            f"- **Coders on {e(r.code)}**: alpha {r.alpha:.2f} [{r.ci_low:.2f}, {r.ci_high:.2f}] "
            f"over {r.n_pairable} units: {_verdict(r.alpha)}; they agree on "
            f"{r.percent_agreement:.0%} of pairs."
            + (
                f" The interval reaches down to {r.ci_low:.2f}: too few units use the code to be sure."
                if r.alpha >= 0.667 and r.ci_low < 0.667
                else ""
            )
        )
    if tools is not None and len(tools):
        by_code = {r.code: r.alpha for r in agreement.itertuples(index=False)}
        for r in tools.itertuples(index=False):
            score = f"F1 {r.f1:.2f}" if r.f1 == r.f1 else f"accuracy {r.accuracy:.2f}"
            coders = by_code.get(r.code, float("nan"))
            out.append(
                f"- **{e(str(r.tool))} on {e(r.code)}** against the coders' majority: {score}, "
                f"alpha {r.alpha:.2f} [{r.alpha_low:.2f}, {r.alpha_high:.2f}] "
                f"(coders among themselves: {coders:.2f}): {_verdict(r.alpha)}."
            )
    if cv is not None and len(cv):
        for frame, g in cv.groupby("frame", sort=False):
            if g["note"].iloc[0]:
                out.append(
                    f"- **Trained model on {e(frame)}**: not measured — {e(g['note'].iloc[0])}."
                )
                continue
            models = g[~g["method"].isin(["always yes", "dictionary"])]
            best = models.loc[models["f1"].idxmax()]
            yes = g.loc[g["method"] == "always yes", "f1"].iloc[0]
            dic = g.loc[g["method"] == "dictionary", "f1"].iloc[0]
            if best["f1"] <= yes:
                word = "no better than labelling every sentence 1"
            elif best["f1"] <= dic:
                word = "no better than the dictionary"
            else:
                word = "better than both baselines"
            out.append(
                f"- **Trained model on {e(frame)}** ({e(best['method'])}): cross-validated F1 "
                f"{best['f1']:.2f} ± {best['f1_sd']:.2f}, ROC AUC {best['roc_auc']:.2f}; always yes "
                f"{yes:.2f}, dictionary {dic:.2f}: {word}."
            )
    return "\n".join(out)

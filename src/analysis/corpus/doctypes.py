"""Document types: ``text``, or ``procedural`` (a resolution approving a report); the corpus without procedural texts."""

from __future__ import annotations

import re

import pandas as pd

DOC_TYPES = ("text", "procedural")

# The NPC's resolutions approving a work report say they heard it and agree with it; a report
# itself never calls itself "the report made by Premier X". Short, so the rule looks at a document's
# title and first few hundred characters only.
_PROCEDURAL_TITLE = re.compile(r"(决议|决定)")
_PROCEDURAL_TEXT = re.compile(r"(听取(和|并)?审议了.{0,20}所作的|所作的\s*政府工作报告|会议(同意|批准|充分肯定|决定批准))")
PROCEDURAL_MAX_CHARS = 5_000
"""A procedural text (a resolution approving a report) is short; a longer one is a text."""


def document_type(title, text) -> str:
    """``"procedural"`` for a resolution or decision approving a report, ``"text"`` otherwise.

    The NPC's resolutions on the government work report (决议: 会议听取和审议了
    国务院总理…所作的政府工作报告，同意…) are a few hundred characters; counted as
    documents they make a year's rates and topics meaningless. The rule: a
    title ending in 决议/决定 (or 关于…报告的决议), or an opening that says the
    meeting heard, approved or agreed with a report, in a text shorter than
    :data:`PROCEDURAL_MAX_CHARS` characters whose title names a 决议 or 决定
    and whose opening says the meeting heard, approved or agreed with a report
    (news of a delegation deliberating is not procedural, nor is a news item
    about a UN resolution).

    Examples
    --------
    >>> document_type("第十三届全国人民代表大会第三次会议关于政府工作报告的决议",
    ...               "会议听取和审议了国务院总理李克强所作的政府工作报告。会议同意报告。")
    'procedural'
    >>> document_type("政府工作报告", "各位代表：现在，我代表国务院，向大会报告政府工作。")
    'text'
    """
    text = text if isinstance(text, str) else ""
    if len(text) >= PROCEDURAL_MAX_CHARS:
        return "text"
    title = title if isinstance(title, str) else ""
    if _PROCEDURAL_TITLE.search(title) and _PROCEDURAL_TEXT.search(text[:600]):
        return "procedural"
    return "text"


def without_procedural(corpus: pd.DataFrame, *, exclude: bool = True) -> pd.DataFrame:
    """The corpus without its procedural texts (``doc_type == "procedural"``), or whole.

    Resolutions approving a report repeat its slogans in a few hundred
    characters: left in, they dominate a year's topics and keyness. The topic
    and keyness notebooks leave them out by default.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`load_corpus` (a table without ``doc_type`` is returned whole).
    exclude : bool, default True
        False returns the corpus unchanged, so a notebook parameter can turn
        the filter off.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "doc_type": ["text", "procedural"]})
    >>> without_procedural(docs)["doc_id"].tolist()
    ['a']
    """
    if not exclude or "doc_type" not in corpus.columns:
        return corpus
    return corpus[corpus["doc_type"].ne("procedural").to_numpy()].reset_index(drop=True)

"""What a table of an AppTest run shows: the texts of its cells (a Styler's display values, as the
browser draws them) and their background colours."""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa


def shown(node) -> pd.DataFrame:
    """The cells of a dataframe element as text, as drawn: the Styler's display values when the page
    styled the table, else the values as they are."""
    arrow = node.proto.arrow_data if hasattr(node.proto, "arrow_data") else node.proto
    if arrow.HasField("styler") and arrow.styler.display_values:
        frame = pa.ipc.open_stream(arrow.styler.display_values).read_all().to_pandas()
    else:
        # what Streamlit draws without a Styler: a missing value as "None" (its default placeholder)
        frame = node.value.astype(object).map(lambda v: "None" if v is None or v != v else str(v))
    if node.type == "table":  # st.table renders Markdown: the page escaped imported text for it
        frame = frame.map(lambda v: re.sub(r"\\(.)", r"\1", v) if isinstance(v, str) else v)
    return frame.reset_index(drop=True)


def fills(node) -> dict[tuple[int, int], str]:
    """(row, column) -> the cell's background colour set by the page's Styler."""
    arrow = node.proto.arrow_data if hasattr(node.proto, "arrow_data") else node.proto
    found = {}
    for match in re.finditer(r"row(\d+)_col(\d+)[^{]*\{[^}]*background-color:\s*([^;}\s]+)", arrow.styler.styles):
        found[(int(match.group(1)), int(match.group(2)))] = match.group(3)
    return found


def frames(at) -> list:
    """Every dataframe and static table element of the run."""
    return list(at.dataframe) + list(at.table)

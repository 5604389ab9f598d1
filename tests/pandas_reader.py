"""Read a Parquet file with pandas, as a researcher would, and print what it read as JSON.

Run by ``tests/test_dataset.py`` with the Python of the tools' environment (``.venv-replay``,
beside pywb), never the crawler's: installed beside the crawler, pandas is imported by
sqlite-utils in every process that opens an archive (0.4 s each; a fifth of the suite's time).

    python tests/pandas_reader.py FILE [COLUMN VALUE]

prints ``{"dtypes": {column: pyarrow type}, "zones": {column: UTC offset in hours},
"rows": [the rows whose COLUMN is VALUE, as JSON]}``.
"""

import datetime
import json
import sys

import pandas as pd


def plain(value):
    """Return VALUE as JSON can hold it: instants and days in ISO, arrays as lists."""
    if isinstance(value, (pd.Timestamp, datetime.datetime, datetime.date)):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return (
            [plain(item) for item in value.tolist()]
            if hasattr(value, "__len__")
            else value.tolist()
        )
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return None if value is None or (isinstance(value, float) and value != value) else value


path = sys.argv[1]
typed = pd.read_parquet(path, dtype_backend="pyarrow")
frame = pd.read_parquet(path)  # the default way: instants keep their zone
zones = {
    column: frame[column].dt.tz.utcoffset(datetime.datetime(2020, 1, 1)).total_seconds() / 3600
    for column in frame.columns
    if isinstance(frame[column].dtype, pd.DatetimeTZDtype)
}
rows = []
if len(sys.argv) == 4:
    selected = frame[frame[sys.argv[2]] == sys.argv[3]]
    rows = [
        {key: plain(value) for key, value in row.items()} for row in selected.to_dict("records")
    ]
print(
    json.dumps(
        {
            "dtypes": {column: str(typed[column].dtype.pyarrow_dtype) for column in typed.columns},
            "zones": zones,
            "rows": rows,
        }
    )
)

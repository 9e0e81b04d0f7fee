"""The whole dataset as one zip: every CSV plus datapackage.json, the schema any tool can read."""

import io
import zipfile
from pathlib import Path

from relations.data.schema import DESCRIPTOR


def dataset_zip(data_dir: Path) -> bytes:
    """The files as they are: the validator already refuses cells a spreadsheet would run as formulas."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in [*sorted(data_dir.glob("*.csv")), data_dir / DESCRIPTOR]:
            archive.write(path, arcname=f"relations-dataset/{path.name}")
    return buffer.getvalue()

"""Ingestion: turn files and API responses in every supported format into papers."""

from paperwire.ingest.detect import FORMATS, UnknownFormat, detect_format
from paperwire.ingest.importer import ImportReport, import_paths, import_records
from paperwire.ingest.records import Rejection

__all__ = [
    "FORMATS",
    "ImportReport",
    "Rejection",
    "UnknownFormat",
    "detect_format",
    "import_paths",
    "import_records",
]

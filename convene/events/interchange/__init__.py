"""Schedule interchange: exports (pretalx/frab JSON, frab XML, CSV) and imports."""

"""Is the plan what was written, from the input it names? Seal, provenance, restated cells.

The seal's digest form (:mod:`pairing.domain.digest`) is shared with the writer: it is a
format, like the workbook layout, and a digest computed two ways would only disagree on bytes.
"""

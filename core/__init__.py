"""Domain logic in plain Python (no Qt): see design.md."""

import os as _os

# openpyxl switches to lxml whenever lxml is installed, and pyHanko (digital signatures) installs it. The
# workbooks are read through defusedxml and the standard library's XML, the path the import limits and the
# XXE / billion-laughs refusals were built and tested on, and lxml is not shipped in the bundle: keep it so.
_os.environ.setdefault("OPENPYXL_LXML", "False")

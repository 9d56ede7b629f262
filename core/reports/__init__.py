"""Writing a return's report as files: the return workbook (.xlsx) and reading it back, the Decree-30
PDF (what it says and its layout, with its fonts), the seal over a return file, the return package
(.zip), and the one entry point that exports them (signed or not)."""

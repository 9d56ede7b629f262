"""The application around the domain: demo data, the installed copy's self-test, restoring a backup,
which database this PC works on, and the crash log."""

"""Digital signatures (chữ ký số): certificates as people see them, signing what leaves the PC with the
unit's certificate, checking a received signature offline, and the certificates a unit trusts."""

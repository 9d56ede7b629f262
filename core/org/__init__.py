"""The organisation: the unit tree and its history, who logs in and what they reach, each unit's
settings and what its printed report says about who sends it."""

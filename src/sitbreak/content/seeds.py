"""The seed articles and researched notes the library is written from.

They live outside the package (``<repo>/../shared/seeds`` and ``shared/notes``); only their file
names ship, so an installed sitbreak can still check that every item cites a real one.
"""

from __future__ import annotations

SEED_FILES: frozenset[str] = frozenset(
    {
        "000_871864605b8e2dd0.txt",  # How to relieve muscle knots in the buttocks
        "001_c7001730b6e25943.txt",  # What causes a knot in your buttocks?
        "002_7a421497139ddfff.txt",  # How to release trigger points in buttocks (guide)
        "003_c27e9dbe5935298c.txt",  # How to release trigger points in buttocks (self-massage)
        "004_f20a08c750b71bd6.txt",  # Myofascial pain in buttock muscles
    }
)

# Researched notes (trials and guidelines) that movement items cite alongside or instead of a seed.
NOTE_FILES: frozenset[str] = frozenset(
    {
        "evidence.md",  # evidence behind the defaults: breaking up sitting, holds, posture checks
    }
)

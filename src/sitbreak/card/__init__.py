"""The stretch card: a Tk window run as its own process (``python -m sitbreak.card ID``).

It shows one item with its picture, steps and a per-side hold timer, and reports the user's
answer as one JSON line on stdout plus an exit code (see ``sitbreak.card.answer``).
"""

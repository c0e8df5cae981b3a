"""The desktop daemon: composition root (``app``) and the worker-loop runtime (``runtime``).

Threads: the main thread runs the tray; one worker thread runs an asyncio loop that owns the
engine, the notifier, session watchers, config polling, the control socket and the card opener.
"""

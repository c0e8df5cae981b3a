"""Thin platform adapters, one file per platform behind the small protocols in ``base``.

Each family has a factory that tries candidates in order and returns ``Picked(impl, name,
reasons)`` — ``reasons`` says why each candidate was or was not taken (``sitbreak doctor`` prints
them). Factories never raise; the last candidate of each family always works. No platform work
happens at import time.

What the runtime calls (threads as in ``base``):

- ``idle.select_idle_source(source="auto"|"idle"|"listener", env=None) -> Picked[IdleSource]``
  (sync; any thread). ``impl.seconds_since_last_input() -> float`` never raises (0.0 while the
  counter is unavailable); ``impl.close()``.
- ``session.select_session_watcher(env=None) -> Picked[SessionWatcher]`` (sync), then on the
  worker loop ``await impl.start(emit)`` with ``emit("lock"|"unlock"|"sleep"|"wake")`` called
  on that loop; ``await impl.close()``.
- ``clocks.Clocks()``: ``now()`` = engine seconds (CLOCK_BOOTTIME on Linux); ``sample() ->
  Gap | None`` at each wake-up; feed a gap as ``ClockJump(at=gap.at, skipped_s=gap.skipped_s)``.
  ``clocks.engine_now()`` is the same clock without an instance.
- ``await notify.select_notifier(sound=False, icon=None, only=None, env=None) ->
  Picked[Notifier]`` on the worker loop. ``await impl.show(view, answer)`` (replaces the nudge on
  screen; ``answer`` gets "clicked"/"snooze"/"done"/"skip"/"dismissed" once, on that loop),
  ``withdraw()``, ``alert(title, message)``, ``dnd_active()`` (defer while True), ``close()``.
- ``tray.select_tray(actions, env=None, backend="auto") -> Picked[Tray]`` (sync; call on the
  main thread). ``impl.run(on_ready)`` blocks the main thread until ``impl.stop()``;
  ``impl.update(view)`` from any thread. ``impl.has_menu`` False means a left click is the only
  way in (it calls ``actions.show_current``).
- ``card.CardProcessOpener(command=None, env=None)``: ``await opener.open(item) -> CardAnswer``
  on the worker loop (one card at a time), ``await opener.close()`` at shutdown.
- ``environment.DesktopEnv.detect()`` is what every factory reads when ``env`` is None.
"""

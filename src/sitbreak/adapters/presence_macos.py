"""macOS: a microphone in use = an audio input device that is running somewhere
(CoreAudio ``kAudioDevicePropertyDeviceIsRunningSomewhere``), read through ctypes.

For each device of ``kAudioHardwarePropertyDevices`` that has input streams
(``kAudioDevicePropertyStreams`` in the input scope), ask whether any process runs it. This is
what the orange microphone dot in the menu bar reflects. Only *whether*: never which process.

Written against Apple's documented AudioHardware API and tested with recorded values (the
CoreAudio reader is injected); it has not run on macOS yet. Looked at only when the answer
matters (``pushes`` is False).
"""

from __future__ import annotations

import ctypes
from typing import Protocol

from sitbreak.adapters.base import PresenceReading
from sitbreak.i18n import N_, Text


def fourcc(code: str) -> int:
    return int.from_bytes(code.encode("ascii"), "big")


SYSTEM_OBJECT = 1  # kAudioObjectSystemObject
DEVICES = fourcc("dev#")  # kAudioHardwarePropertyDevices
STREAMS = fourcc("stm#")  # kAudioDevicePropertyStreams
RUNNING_SOMEWHERE = fourcc("gone")  # kAudioDevicePropertyDeviceIsRunningSomewhere
SCOPE_GLOBAL = fourcc("glob")  # kAudioObjectPropertyScopeGlobal
SCOPE_INPUT = fourcc("inpt")  # kAudioObjectPropertyScopeInput
ELEMENT_MAIN = 0  # kAudioObjectPropertyElementMain


class AudioReader(Protocol):
    def devices(self) -> list[int]: ...

    def input_streams(self, device: int) -> int: ...

    def running_somewhere(self, device: int) -> bool: ...


class _Address(ctypes.Structure):
    _fields_ = [("selector", ctypes.c_uint32), ("scope", ctypes.c_uint32),
                ("element", ctypes.c_uint32)]


class CoreAudio:
    """AudioObjectGetPropertyDataSize / AudioObjectGetPropertyData through ctypes."""

    def __init__(self) -> None:
        self._lib = ctypes.CDLL("/System/Library/Frameworks/CoreAudio.framework/CoreAudio")

    def _size(self, obj: int, addr: _Address) -> int:
        size = ctypes.c_uint32(0)
        status = self._lib.AudioObjectGetPropertyDataSize(
            ctypes.c_uint32(obj), ctypes.byref(addr), 0, None, ctypes.byref(size))
        if status != 0:
            raise OSError(f"AudioObjectGetPropertyDataSize: OSStatus {status}")
        return size.value

    def _data(self, obj: int, addr: _Address, buf: ctypes.Array[ctypes.c_uint32]) -> int:
        size = ctypes.c_uint32(ctypes.sizeof(buf))
        status = self._lib.AudioObjectGetPropertyData(
            ctypes.c_uint32(obj), ctypes.byref(addr), 0, None, ctypes.byref(size), buf)
        if status != 0:
            raise OSError(f"AudioObjectGetPropertyData: OSStatus {status}")
        return size.value // 4

    def devices(self) -> list[int]:
        addr = _Address(DEVICES, SCOPE_GLOBAL, ELEMENT_MAIN)
        buf = (ctypes.c_uint32 * (self._size(SYSTEM_OBJECT, addr) // 4))()
        n = self._data(SYSTEM_OBJECT, addr, buf)
        return list(buf[:n])

    def input_streams(self, device: int) -> int:
        return self._size(device, _Address(STREAMS, SCOPE_INPUT, ELEMENT_MAIN)) // 4

    def running_somewhere(self, device: int) -> bool:
        buf = (ctypes.c_uint32 * 1)()
        self._data(device, _Address(RUNNING_SOMEWHERE, SCOPE_GLOBAL, ELEMENT_MAIN), buf)
        return buf[0] != 0


def microphone_in_use(reader: AudioReader) -> bool:
    return any(reader.input_streams(d) > 0 and reader.running_somewhere(d)
               for d in reader.devices())


class CoreAudioMicrophone:
    name = "microphone (CoreAudio)"
    pushes = False

    def __init__(self, reader: AudioReader | None = None) -> None:
        self._reader = reader

    async def start(self, on_change: object) -> None:
        if self._reader is None:
            self._reader = CoreAudio()

    def read(self) -> PresenceReading:
        if self._reader is None:
            return PresenceReading()
        try:
            return PresenceReading(call=microphone_in_use(self._reader))
        except OSError:
            return PresenceReading()

    def describe(self) -> Text:
        if self.read().call:
            return Text(N_("in use now (not yet run on macOS)"))
        return Text(N_("not in use now (not yet run on macOS)"))

    async def close(self) -> None:
        pass

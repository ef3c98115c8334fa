#!/usr/bin/env python3
"""Decode an mp4j session file without Java: python3 standard library only (struct over plain reads).

Follows the layout descriptors of the Java code (shared/src/main/java/mp4j/**/*Layout.java, each drawing its bytes
in its javadoc; docs/architecture.md lists them) and prints the JSON of docs/inspect-json.md, the same as
`launcher inspect --json`. Usage:

    scripts/inspect.py [SESSION_FILE] [--json] [--hex]
    scripts/inspect.py --layouts        # every layout constant this script uses, as JSON

With no file, the newest mp4j-* file in /dev/shm. Exit codes: 0 ok, 1 not a usable session file, 2 usage.

Every offset and constant below is in LAYOUTS, named as its Java descriptor names it; the launcher's test
(InspectAgreementTest) compares each with the Java constant by reflection, and diffs this script's JSON with
`launcher inspect --json` on a live session holding one object of every kind.
"""
import argparse
import glob
import json
import math
import mmap
import os
import pwd
import stat
import struct
import sys
import time

# The Java descriptors' constants this script reads: class -> constant -> value.
LAYOUTS = {
    "mp4j.session.SessionLayout": {
        "MAGIC": 0x5353455334504A4D, "LAYOUT_VERSION": 4, "HEADER_LENGTH": 4096,
        "MAGIC_OFFSET": 0, "LAYOUT_VERSION_OFFSET": 8, "HEADER_LENGTH_OFFSET": 12, "FILE_LENGTH_OFFSET": 16,
        "CREATOR_PID_OFFSET": 24, "CREATOR_START_OFFSET": 32, "CREATED_OFFSET": 40, "HEARTBEAT_OFFSET": 48,
        "PROCESS_TABLE_OFFSET_OFFSET": 56, "PROCESS_SLOT_COUNT_OFFSET": 64, "PROCESS_SLOT_LENGTH_OFFSET": 68,
        "DIRECTORY_OFFSET_OFFSET": 72, "DIRECTORY_CAPACITY_OFFSET": 80, "DIRECTORY_ENTRY_LENGTH_OFFSET": 84,
        "DATA_OFFSET_OFFSET": 88, "DATA_LENGTH_OFFSET": 96, "DATA_ALLOCATED_OFFSET": 104,
        "DIRECTORY_USED_OFFSET": 112, "PAYLOAD_LENGTH_OFFSET": 116, "PAYLOAD_OFFSET_OFFSET": 120,
        "SESSION_NAME_OFFSET": 128, "SESSION_NAME_LENGTH": 64,
        "SLOT_LENGTH": 256, "SLOT_STATE_OFFSET": 0, "SLOT_FLAGS_OFFSET": 4, "SLOT_PID_OFFSET": 8,
        "SLOT_START_OFFSET": 16, "SLOT_HEARTBEAT_OFFSET": 24, "SLOT_EXIT_CODE_OFFSET": 32, "SLOT_PARENT_OFFSET": 36,
        "SLOT_CREATED_OFFSET": 40, "SLOT_PAYLOAD_LENGTH_OFFSET": 48, "SLOT_GENERATION_OFFSET": 52,
        "SLOT_COUNTER0_OFFSET": 56, "SLOT_NAME_OFFSET": 128, "SLOT_NAME_LENGTH": 64, "SLOT_ROLE_OFFSET": 192,
        "SLOT_ROLE_LENGTH": 64,
        "SLOT_FREE": 0, "SLOT_NEW": 1, "SLOT_RUNNING": 2, "SLOT_EXITED": 3,
        "FLAG_DAEMON": 1, "FLAG_KILLED": 2, "FLAG_EXITING": 4,
        "ENTRY_LENGTH": 128, "ENTRY_KIND_OFFSET": 0, "ENTRY_TYPE_CODE_OFFSET": 4, "ENTRY_OFFSET_OFFSET": 8,
        "ENTRY_LENGTH_OFFSET": 16, "ENTRY_LOCK_OFFSET_OFFSET": 24, "ENTRY_COUNT_OFFSET": 32,
        "ENTRY_CREATOR_SLOT_OFFSET": 40, "ENTRY_FLAGS_OFFSET": 44, "ENTRY_NAME_OFFSET": 48, "ENTRY_NAME_LENGTH": 80,
        "OBJECT_ALIGNMENT": 64, "PAYLOAD_LENGTH": 64 * 1024,
    },
    "mp4j.synchronize.LockWordLayout": {
        "OWNER_OFFSET": 0, "COUNT_OFFSET": 8, "WAITERS_OFFSET": 12, "OWNER_DIED_OFFSET": 16, "RECOVERIES_OFFSET": 20,
        "LENGTH": 32, "OWNER_SLOT_SHIFT": 32, "OWNER_GENERATION_SHIFT": 48,
    },
    "mp4j.synchronize.SemaphoreLayout": {
        "VALUE_OFFSET": 0, "BOUND_OFFSET": 8, "WAITERS_OFFSET": 16, "SLOTS_OFFSET": 20, "RECOVERED_OFFSET": 24,
        "HELD_OFFSET": 32, "HELD_ENTRY": 8, "FLAG_NOT_ROBUST": 1,
    },
    "mp4j.synchronize.EventLayout": {"FLAG_OFFSET": 0, "WAITERS_OFFSET": 4, "SETS_OFFSET": 8, "LENGTH": 16},
    "mp4j.synchronize.ConditionLayout": {
        "SLEEPERS_OFFSET": 32, "SIGNALS_OFFSET": 36, "LOCK_ENTRY_OFFSET": 40, "NOTIFIED_OFFSET": 48, "LENGTH": 56,
    },
    "mp4j.synchronize.BarrierLayout": {
        "STATE_OFFSET": 0, "PARTIES_OFFSET": 8, "BROKEN_OFFSET": 12, "WAITERS_OFFSET": 20, "TIMEOUT_MS_OFFSET": 28,
        "PARTICIPANTS_OFFSET": 32,
    },
    "mp4j.sharedctypes.SynchronizedLayout": {
        "VALUE_OFFSET": 40, "ELEMENTS_OFFSET": 64, "HEADER_LENGTH": 64, "NO_LOCK": 0, "OWN_RLOCK": 1, "GIVEN_LOCK": 2,
    },
    "mp4j.queues.QueueLayout": {
        "CAPACITY_OFFSET": 0, "MAXSIZE_OFFSET": 8, "SENT_OFFSET": 64, "RECEIVED_OFFSET": 128, "UNFINISHED_OFFSET": 256,
        "CONSUMER_LOCK_OFFSET": 320, "PRODUCERS_OFFSET": 384, "CONSUMERS_OFFSET": 520, "SPILL_OFFSET": 768,
        "HEADER_LENGTH": 5120,
    },
    "mp4j.queues.PipeLayout": {
        "CAPACITY_OFFSET": 0, "HOLDERS_OFFSET": 64, "COUNTERS_OFFSET": 384, "COUNTER_LINE": 64, "SPILLS_OFFSET": 640,
        "HEADER_LENGTH": 1152, "FLAG_DUPLEX": 1, "FLAG_END_1": 2,
    },
    "mp4j.queues.SpillLayout": {
        "HEADER_LENGTH": 256, "LIVE_BYTES_OFFSET": 16, "TAIL_INDEX_OFFSET": 72, "HEAD_INDEX_OFFSET": 136,
    },
    "mp4j.queues.HoldersLayout": {
        "BITS_OFFSET": 0, "GENERATIONS_OFFSET": 8, "GENERATION_ENTRY": 2, "SLOTS": 64, "LENGTH": 136,
    },
    "mp4j.pool.PoolLayout": {
        "HEADER_LENGTH": 64, "WORKERS_OFFSET": 0, "RING_CAPACITY_OFFSET": 4, "STATE_OFFSET": 8,
        "POSITION_HEADER_LENGTH": 64, "PROCESS_SLOT_OFFSET": 0, "STARTS_OFFSET": 4, "TASKS_SENT_OFFSET": 8,
        "READY_OFFSET": 16, "ASLEEP_OFFSET": 20, "RUNNING": 1, "CLOSING": 2, "STOPPED": 3, "REUSED": 4,
    },
    "org.agrona.concurrent.ringbuffer.RingBufferDescriptor": {
        "TRAILER_LENGTH": 768, "TAIL_POSITION_OFFSET": 128, "HEAD_POSITION_OFFSET": 384,
    },
    "mp4j.sharedmemory.SharedMemoryRecordLayout": {
        "FLAG_MANAGER": 1, "RECORD_LENGTH": 64, "STATE_OFFSET": 0, "OWNER_OFFSET": 8, "CREATOR_PID_OFFSET": 24,
        "SIZE_OFFSET": 40, "LIVE": 1, "UNLINKED": 2,
    },
    "mp4j.sharedmemory.ShareableListLayout": {
        "COUNT_OFFSET": 0, "OFFSETS_OFFSET": 8, "ALIGNMENT": 8, "FORMAT_LENGTH": 8, "EMPTY_LENGTH": 16,
        "CODE_PACKED": 0, "CODE_STR": 1, "CODE_BYTES": 2, "CODE_NONE": 3, "FORMAT_INT": "q", "FORMAT_FLOAT": "d",
        "FORMAT_BOOL": "xxxxxxx?", "FORMAT_NONE": "xxxxxx?x",
    },
    "mp4j.sharedmemory.SharedMemoryBlocks": {"DECODE_LIMIT": 256 << 20, "BYTES": "bytes"},
    "mp4j.managers.ManagerLayout": {
        "LOCK_OFFSET": 0, "STATE_OFFSET": 32, "SEGMENT_COUNT_OFFSET": 44, "REGISTRY_OFFSET": 48,
        "CONTAINERS_OFFSET": 56, "BYTES_IN_USE_OFFSET": 96, "COMMITS_OFFSET": 104, "ROLLBACKS_OFFSET": 112,
        "SERVER_SLOT_OFFSET": 120, "SERVER_GENERATION_OFFSET": 124, "SEGMENTS_OFFSET": 128, "MAX_SEGMENTS": 64,
        "SEGMENT_ROW": 32, "SEGMENT_SIZE_FIELD": 0, "SEGMENT_NAME_FIELD": 16, "SEGMENT_NAME_LENGTH": 16,
        "OPEN": 1, "CLOSED": 2,
    },
    "mp4j.managers.ContainerLayout": {
        "SEGMENT_MAGIC": 0x504145484A34504D, "SEGMENT_MAGIC_OFFSET": 0, "SEGMENT_NUMBER_OFFSET": 8,
        "SEGMENT_HEADER_LENGTH": 64, "MAX_SEGMENT_SIZE": 1 << 30, "DICT": 1, "LIST": 2, "NAMESPACE": 3,
        "REGISTRY_ROWS_OFFSET": 16, "REGISTRY_ROW": 16, "ROW_KIND_FIELD": 0, "ROW_TABLE_FIELD": 8,
        "DICT_INDEX_SLOTS_OFFSET": 8, "DICT_USED_OFFSET": 16, "DICT_LIVE_OFFSET": 20, "DICT_INDEX_OFFSET": 24,
        "DICT_ENTRY": 16, "ENTRY_RECORD_FIELD": 8, "LIST_SIZE_OFFSET": 12, "LIST_ROWS_OFFSET": 16,
        "RECORD_KEY_LENGTH_OFFSET": 8, "RECORD_VALUE_LENGTH_OFFSET": 12, "RECORD_DATA_OFFSET": 16,
    },
    "mp4j.managers.ManagerDescriber": {"CONTAINERS_SHOWN": 64, "FIRST": 8},
    "mp4j.sharedctypes.SharedCTypesDescriber": {"FIRST": 8},
    "mp4j.codec.ValueCodec": {
        "NULL": 0, "BOOLEAN": 1, "BYTE": 2, "SHORT": 3, "CHAR": 4, "INT": 5, "LONG": 6, "FLOAT": 7, "DOUBLE": 8,
        "STRING": 9, "BYTES": 10, "INT_ARRAY": 11, "LONG_ARRAY": 12, "DOUBLE_ARRAY": 13, "FLOAT_ARRAY": 14,
        "SHORT_ARRAY": 15, "CHAR_ARRAY": 16, "BOOLEAN_ARRAY": 17, "LIST": 18, "OBJECT_ARRAY": 19, "SERIALIZED": 20,
    },
}
# mp4j.session.ObjectKind: code -> name (15 and 16 are retired, never written).
KINDS = {0: "EMPTY", 1: "VALUE", 2: "ARRAY", 3: "LOCK", 4: "RLOCK", 5: "SEMAPHORE", 6: "BOUNDED_SEMAPHORE",
         7: "EVENT", 8: "CONDITION", 9: "BARRIER", 10: "QUEUE", 11: "SIMPLE_QUEUE", 12: "JOINABLE_QUEUE", 13: "PIPE",
         14: "POOL", 17: "SHARED_MEMORY", 18: "MANAGER"}

S = LAYOUTS["mp4j.session.SessionLayout"]
LAYOUT_VERSION = S["LAYOUT_VERSION"]
HEADER_LENGTH, SLOT_LENGTH, ENTRY_LENGTH = S["HEADER_LENGTH"], S["SLOT_LENGTH"], S["ENTRY_LENGTH"]

# Header, process slot and directory entry fields: (JSON name, offset, struct format).
HEADER = [
    ("magic", S["MAGIC_OFFSET"], "<Q"), ("layoutVersion", S["LAYOUT_VERSION_OFFSET"], "<i"),
    ("headerLength", S["HEADER_LENGTH_OFFSET"], "<i"), ("fileLength", S["FILE_LENGTH_OFFSET"], "<q"),
    ("creatorPid", S["CREATOR_PID_OFFSET"], "<q"), ("creatorStartMillis", S["CREATOR_START_OFFSET"], "<q"),
    ("createdMillis", S["CREATED_OFFSET"], "<q"), ("heartbeatMillis", S["HEARTBEAT_OFFSET"], "<q"),
    ("processTableOffset", S["PROCESS_TABLE_OFFSET_OFFSET"], "<q"),
    ("processSlots", S["PROCESS_SLOT_COUNT_OFFSET"], "<i"),
    ("processSlotLength", S["PROCESS_SLOT_LENGTH_OFFSET"], "<i"),
    ("directoryOffset", S["DIRECTORY_OFFSET_OFFSET"], "<q"), ("directoryCapacity", S["DIRECTORY_CAPACITY_OFFSET"], "<i"),
    ("directoryEntryLength", S["DIRECTORY_ENTRY_LENGTH_OFFSET"], "<i"), ("dataOffset", S["DATA_OFFSET_OFFSET"], "<q"),
    ("dataLength", S["DATA_LENGTH_OFFSET"], "<q"), ("dataAllocated", S["DATA_ALLOCATED_OFFSET"], "<q"),
    ("directoryUsed", S["DIRECTORY_USED_OFFSET"], "<i"), ("payloadLength", S["PAYLOAD_LENGTH_OFFSET"], "<i"),
    ("payloadOffset", S["PAYLOAD_OFFSET_OFFSET"], "<q"),
]
SESSION_NAME = (S["SESSION_NAME_OFFSET"], S["SESSION_NAME_LENGTH"])
SLOT = [
    ("state", S["SLOT_STATE_OFFSET"], "<i"), ("flags", S["SLOT_FLAGS_OFFSET"], "<i"), ("pid", S["SLOT_PID_OFFSET"], "<q"),
    ("startMillis", S["SLOT_START_OFFSET"], "<q"), ("heartbeatMillis", S["SLOT_HEARTBEAT_OFFSET"], "<q"),
    ("exitCode", S["SLOT_EXIT_CODE_OFFSET"], "<i"), ("parentSlot", S["SLOT_PARENT_OFFSET"], "<i"),
    ("createdMillis", S["SLOT_CREATED_OFFSET"], "<q"), ("payloadLength", S["SLOT_PAYLOAD_LENGTH_OFFSET"], "<i"),
    ("generation", S["SLOT_GENERATION_OFFSET"], "<i"), ("tasksDone", S["SLOT_COUNTER0_OFFSET"], "<q"),
    ("tasksFailed", S["SLOT_COUNTER0_OFFSET"] + 8, "<q"), ("tasksInFlight", S["SLOT_COUNTER0_OFFSET"] + 16, "<q"),
]
SLOT_NAME = (S["SLOT_NAME_OFFSET"], S["SLOT_NAME_LENGTH"])
SLOT_ROLE = (S["SLOT_ROLE_OFFSET"], S["SLOT_ROLE_LENGTH"])
STATES = {S["SLOT_FREE"]: "FREE", S["SLOT_NEW"]: "NEW", S["SLOT_RUNNING"]: "RUNNING", S["SLOT_EXITED"]: "EXITED"}
ENTRY = [
    ("kind", S["ENTRY_KIND_OFFSET"], "<i"), ("typeCode", S["ENTRY_TYPE_CODE_OFFSET"], "<i"),
    ("offset", S["ENTRY_OFFSET_OFFSET"], "<q"), ("length", S["ENTRY_LENGTH_OFFSET"], "<q"),
    ("lockOffset", S["ENTRY_LOCK_OFFSET_OFFSET"], "<q"), ("count", S["ENTRY_COUNT_OFFSET"], "<q"),
    ("creatorSlot", S["ENTRY_CREATOR_SLOT_OFFSET"], "<i"), ("flags", S["ENTRY_FLAGS_OFFSET"], "<i"),
]
ENTRY_NAME = (S["ENTRY_NAME_OFFSET"], S["ENTRY_NAME_LENGTH"])


class NotASession(Exception):
    pass


def fields(buf, base, spec):
    return {name: struct.unpack_from(fmt, buf, base + off)[0] for name, off, fmt in spec}


def i32(buf, at):
    return struct.unpack_from("<i", buf, at)[0]


def i64(buf, at):
    return struct.unpack_from("<q", buf, at)[0]


def text(buf, base, field):
    off, width = field
    raw = bytes(buf[base + off: base + off + width])
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


class Session:
    """The decoded file: its bytes, header, and the raw process table (what liveness checks need)."""

    def __init__(self, buf, h):
        self.buf, self.h = buf, h
        self.data_start = h["dataOffset"]
        self.data_end = h["dataOffset"] + h["dataLength"]
        self.slots = [fields(buf, h["processTableOffset"] + s * SLOT_LENGTH, SLOT) for s in range(h["processSlots"])]
        self._alive = {}

    def slot_count(self):
        return len(self.slots)

    def alive(self, slot):
        """As ProcessTable.isAlive: a slot neither FREE nor EXITED whose pid runs and started when recorded."""
        if slot not in self._alive:
            s = self.slots[slot]
            self._alive[slot] = (s["state"] not in (S["SLOT_FREE"], S["SLOT_EXITED"]) and s["pid"] != 0 and
                                 proc_alive(s["pid"], s["startMillis"]))
        return self._alive[slot]

    def generation(self, slot):
        return self.slots[slot]["generation"]

    def pid(self, slot):
        return self.slots[slot]["pid"]


# -------------------------------------------------------------------------------------------------------- locks

def lock_state(ses, at):
    """A lock word (LockWordLayout), as mp4j.synchronize.SynchronizeDescriber.lock shows it."""
    L = LAYOUTS["mp4j.synchronize.LockWordLayout"]
    if at % 8 != 0 or at < ses.data_start or at + L["LENGTH"] > ses.data_end:
        return {"error": f"corrupt lock offset {at}"}
    buf = ses.buf
    owner = struct.unpack_from("<Q", buf, at + L["OWNER_OFFSET"])[0]
    slot = ((owner >> L["OWNER_SLOT_SHIFT"]) & 0xFFFF) - 1
    locked = owner != 0
    in_table = 0 <= slot < ses.slot_count()
    if locked:
        dead = (not in_table or (ses.generation(slot) & 0xFFFF) != owner >> L["OWNER_GENERATION_SHIFT"] or
                not ses.alive(slot))
    return {"locked": locked, "ownerSlot": slot if locked else None,
            "ownerPid": ses.pid(slot) if locked and in_table else None,
            "ownerThread": owner & 0xFFFFFFFF if locked else None, "ownerAlive": (not dead) if locked else None,
            "count": i32(buf, at + L["COUNT_OFFSET"]), "waiters": i32(buf, at + L["WAITERS_OFFSET"]),
            "ownerDied": i32(buf, at + L["OWNER_DIED_OFFSET"]) != 0,
            "recoveries": i32(buf, at + L["RECOVERIES_OFFSET"])}


def lock_details(ses, e):
    return {"lock": lock_state(ses, e["lockOffset"])}


def semaphore_details(ses, e):
    L, buf, base = LAYOUTS["mp4j.synchronize.SemaphoreLayout"], ses.buf, e["offset"]
    slots = -1 if e["length"] < L["HELD_OFFSET"] else i32(buf, base + L["SLOTS_OFFSET"])
    if base % 8 != 0 or slots < 0 or L["HELD_OFFSET"] + L["HELD_ENTRY"] * slots > e["length"]:
        return {"error": "corrupt semaphore"}
    bound = i64(buf, base + L["BOUND_OFFSET"])
    holders = []
    for slot in range(min(slots, ses.slot_count())):
        held = i64(buf, base + L["HELD_OFFSET"] + L["HELD_ENTRY"] * slot)
        permits = struct.unpack("<i", struct.pack("<I", held & 0xFFFFFFFF))[0]
        if permits > 0 and struct.unpack("<i", struct.pack("<I", (held >> 32) & 0xFFFFFFFF))[0] == ses.generation(slot):
            holders.append({"slot": slot, "pid": ses.pid(slot), "permits": permits, "alive": ses.alive(slot)})
    return {"value": i64(buf, base + L["VALUE_OFFSET"]), "bound": None if bound == 2 ** 63 - 1 else bound,
            "robust": e["flags"] & L["FLAG_NOT_ROBUST"] == 0, "waiters": i32(buf, base + L["WAITERS_OFFSET"]),
            "recovered": i32(buf, base + L["RECOVERED_OFFSET"]), "holders": holders}


def event_details(ses, e):
    L, buf, base = LAYOUTS["mp4j.synchronize.EventLayout"], ses.buf, e["offset"]
    if e["length"] < L["LENGTH"]:
        return {"error": f"an Event's entry is shorter than its {L['LENGTH']} bytes"}
    return {"set": i32(buf, base + L["FLAG_OFFSET"]) != 0, "waiters": i32(buf, base + L["WAITERS_OFFSET"]),
            "sets": i64(buf, base + L["SETS_OFFSET"])}


def condition_details(ses, e):
    L, buf, base = LAYOUTS["mp4j.synchronize.ConditionLayout"], ses.buf, e["offset"]
    if e["length"] < L["LENGTH"]:
        out = {"error": f"a Condition's entry is shorter than its {L['LENGTH']} bytes"}
    else:
        lock_entry = i32(buf, base + L["LOCK_ENTRY_OFFSET"])
        out = {"sleepers": i32(buf, base + L["SLEEPERS_OFFSET"]), "pendingWakeups": i32(buf, base + L["SIGNALS_OFFSET"]),
               "notified": i64(buf, base + L["NOTIFIED_OFFSET"]), "lockEntry": None if lock_entry < 0 else lock_entry}
    out["lock"] = lock_state(ses, e["lockOffset"])
    return out


def barrier_details(ses, e):
    L, buf, base = LAYOUTS["mp4j.synchronize.BarrierLayout"], ses.buf, e["offset"]
    if e["length"] < L["PARTICIPANTS_OFFSET"]:
        return {"error": f"a Barrier's entry is shorter than its {L['PARTICIPANTS_OFFSET']}-byte header"}
    state = struct.unpack_from("<Q", buf, base + L["STATE_OFFSET"])[0]
    timeout = i32(buf, base + L["TIMEOUT_MS_OFFSET"])
    return {"parties": i32(buf, base + L["PARTIES_OFFSET"]),
            "waiting": struct.unpack("<i", struct.pack("<I", state & 0xFFFFFFFF))[0],
            "generation": struct.unpack("<i", struct.pack("<I", state >> 32))[0],
            "broken": i32(buf, base + L["BROKEN_OFFSET"]) != 0, "waiters": i32(buf, base + L["WAITERS_OFFSET"]),
            "timeoutMs": timeout if timeout > 0 else None}


# ---------------------------------------------------------------------------------------------- Value and Array

CTYPES = {"b": "<b", "B": "<B", "c": "<B", "h": "<h", "H": "<H", "i": "<i", "I": "<I", "f": "<f",
          "l": "<q", "L": "<Q", "q": "<q", "Q": "<Q", "d": "<d"}


def ctype_value(buf, at, code):
    """As mp4j.sharedctypes.CTypes.value: a number; a 'c' as Python's repr of the byte; NaN and infinities null."""
    value = struct.unpack_from(CTYPES[code], buf, at)[0]
    if code == "c":
        return "b'" + (chr(value) if 0x20 <= value < 0x7F and chr(value) not in "'\\" else f"\\x{value:02x}") + "'"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def ctypes_details(ses, e):
    L, buf, base = LAYOUTS["mp4j.sharedctypes.SynchronizedLayout"], ses.buf, e["offset"]
    if e["length"] < L["HEADER_LENGTH"]:
        return {"error": "entry points outside the data area"}
    code = chr(e["typeCode"]) if 0 < e["typeCode"] < 0x110000 else None
    if code not in CTYPES:
        return {"error": f"unknown type code {e['typeCode']}"}
    out = {}
    if KINDS.get(e["kind"]) == "VALUE":
        out["value"] = ctype_value(buf, base + L["VALUE_OFFSET"], code)
    else:
        size = struct.calcsize(CTYPES[code])
        if e["count"] < 0 or L["ELEMENTS_OFFSET"] + e["count"] * size > e["length"]:
            return {"error": f"element count {e['count']} does not fit its {e['length']} bytes"}
        out["elements"] = e["count"]
        first = LAYOUTS["mp4j.sharedctypes.SharedCTypesDescriber"]["FIRST"]
        out["values"] = [ctype_value(buf, base + L["ELEMENTS_OFFSET"] + i * size, code)
                         for i in range(min(e["count"], first))]
    out["lockKind"] = {L["OWN_RLOCK"]: "own", L["GIVEN_LOCK"]: "given"}.get(e["flags"], "none")
    if e["lockOffset"] >= 0:
        out["lock"] = lock_state(ses, e["lockOffset"])
    return out


# ------------------------------------------------------------------------------------------ queues and pipes

def holders_alive(ses, at):
    """Live processes in a HoldersLayout block, as QueuesDescriber.holders counts them."""
    H = LAYOUTS["mp4j.queues.HoldersLayout"]
    bits = struct.unpack_from("<Q", ses.buf, at + H["BITS_OFFSET"])[0]
    live = 0
    for slot in range(min(H["SLOTS"], ses.slot_count())):
        recorded = struct.unpack_from("<H", ses.buf, at + H["GENERATIONS_OFFSET"] + H["GENERATION_ENTRY"] * slot)[0]
        if bits >> slot & 1 and recorded == ses.generation(slot) & 0xFFFF and ses.alive(slot):
            live += 1
    return live


def spilled(buf, at):
    P = LAYOUTS["mp4j.queues.SpillLayout"]
    return max(0, i64(buf, at + P["TAIL_INDEX_OFFSET"]) - i64(buf, at + P["HEAD_INDEX_OFFSET"]))


def queue_details(ses, e):
    Q, P, buf, base = LAYOUTS["mp4j.queues.QueueLayout"], LAYOUTS["mp4j.queues.SpillLayout"], ses.buf, e["offset"]
    if e["length"] < Q["HEADER_LENGTH"]:
        return {"error": f"a queue's entry is shorter than its {Q['HEADER_LENGTH']}-byte header"}
    sent = i64(buf, base + Q["SENT_OFFSET"])
    spill = base + Q["SPILL_OFFSET"]
    out = {"depth": max(0, sent - i64(buf, base + Q["RECEIVED_OFFSET"])) + spilled(buf, spill),
           "maxsize": i32(buf, base + Q["MAXSIZE_OFFSET"]), "capacity": i32(buf, base + Q["CAPACITY_OFFSET"]),
           "producers": holders_alive(ses, base + Q["PRODUCERS_OFFSET"]),
           "consumers": holders_alive(ses, base + Q["CONSUMERS_OFFSET"]), "sent": sent,
           "spilled": spilled(buf, spill), "spillBytes": max(0, i64(buf, spill + P["LIVE_BYTES_OFFSET"]))}
    if KINDS.get(e["kind"]) == "JOINABLE_QUEUE":
        out["unfinished"] = i64(buf, base + Q["UNFINISHED_OFFSET"])
    out["lock"] = lock_state(ses, base + Q["CONSUMER_LOCK_OFFSET"])
    return out


def pipe_details(ses, e):
    P, buf, base = LAYOUTS["mp4j.queues.PipeLayout"], ses.buf, e["offset"]
    if e["length"] < P["HEADER_LENGTH"]:
        return {"error": f"a pipe's entry is shorter than its {P['HEADER_LENGTH']}-byte header"}

    def waiting(ring):
        written = P["COUNTERS_OFFSET"] + ring * 2 * P["COUNTER_LINE"]
        read = written + P["COUNTER_LINE"]
        return (max(0, i64(buf, base + written) - i64(buf, base + read)) +
                spilled(buf, base + P["SPILLS_OFFSET"] + ring * LAYOUTS["mp4j.queues.SpillLayout"]["HEADER_LENGTH"]))

    end = 1 if e["flags"] & P["FLAG_END_1"] else 0
    duplex = bool(e["flags"] & P["FLAG_DUPLEX"])
    out = {"end": end, "duplex": duplex, "capacity": i32(buf, base + P["CAPACITY_OFFSET"])}
    if duplex or end == 0:
        out["depth"] = waiting(end)
    if duplex or end == 1:
        out["sentUnread"] = waiting(1 - end)
    out["holders"] = holders_alive(ses, base + P["HOLDERS_OFFSET"] + end * LAYOUTS["mp4j.queues.HoldersLayout"]["LENGTH"])
    return out


# ------------------------------------------------------------------------------------------------------- pools

def ring_bytes(buf, at, capacity):
    """Bytes waiting in the Agrona ring at {at} (RingBufferDescriptor), as its size(): tail - head, 0..capacity."""
    R = LAYOUTS["org.agrona.concurrent.ringbuffer.RingBufferDescriptor"]
    tail = i64(buf, at + capacity + R["TAIL_POSITION_OFFSET"])
    head = i64(buf, at + capacity + R["HEAD_POSITION_OFFSET"])
    return min(max(0, tail - head), capacity)


def pool_details(ses, e):
    P, buf, base = LAYOUTS["mp4j.pool.PoolLayout"], ses.buf, e["offset"]
    if e["length"] < P["HEADER_LENGTH"]:
        return {}
    workers = i32(buf, base + P["WORKERS_OFFSET"])
    capacity = i32(buf, base + P["RING_CAPACITY_OFFSET"])
    state = i32(buf, base + P["STATE_OFFSET"])
    names = {P["RUNNING"]: "RUNNING", P["CLOSING"]: "CLOSING", P["STOPPED"]: "STOPPED", P["REUSED"]: "REUSED"}
    out = {"state": names.get(state, f"UNKNOWN({state})"), "ringCapacity": capacity}
    ring = capacity + LAYOUTS["org.agrona.concurrent.ringbuffer.RingBufferDescriptor"]["TRAILER_LENGTH"]
    stride = P["POSITION_HEADER_LENGTH"] + 2 * ring
    if (not 0 <= workers <= 4096 or capacity <= 0 or capacity & (capacity - 1) or
            P["HEADER_LENGTH"] + workers * stride > e["length"]):
        out["error"] = "pool header disagrees with its directory entry"
        return out
    rows = []
    for w in range(workers):
        at = base + P["HEADER_LENGTH"] + w * stride
        slot = i32(buf, at + P["PROCESS_SLOT_OFFSET"])
        row = {"position": w, "slot": slot}
        if 0 < slot < ses.slot_count():
            s = ses.slots[slot]
            row.update({"pid": s["pid"], "alive": ses.alive(slot), "tasksDone": s["tasksDone"],
                        "tasksFailed": s["tasksFailed"], "tasksInFlight": s["tasksInFlight"]})
        first = at + P["POSITION_HEADER_LENGTH"]
        row.update({"starts": i32(buf, at + P["STARTS_OFFSET"]), "tasksSent": i64(buf, at + P["TASKS_SENT_OFFSET"]),
                    "ready": i32(buf, at + P["READY_OFFSET"]) == 1, "asleep": i32(buf, at + P["ASLEEP_OFFSET"]) == 1,
                    "taskRingBytes": ring_bytes(buf, first, capacity),
                    "resultRingBytes": ring_bytes(buf, first + ring, capacity)})
        rows.append(row)
    out["workers"] = rows
    return out


# ---------------------------------------------------------------------------------------- shared memory blocks

def shm_directory():
    return "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"


def name_problem(name):
    """As mp4j.sharedmemory.SharedMemoryNames.problem: can this name a block (a file directly in /dev/shm)?"""
    if not name or any(printable(c) != c for c in name) or "/" in name or ".." in name or name == ".":
        return "not a block name"
    if name.startswith("mp4j-") or len(name.encode("utf-8")) > 255:
        return "not a block name"
    return None


def read_at(fd, position, length):
    out = bytearray()
    while len(out) < length:
        chunk = os.pread(fd, length - len(out), position + len(out))
        if not chunk:
            break
        out += chunk
    return bytes(out)


def shareable_list_items(fd, size):
    """The item count of the ShareableList in a block (ShareableListLayout.problem's checks), or -1: reads the
    count, the offsets, then the formats and codes, as SharedMemoryBlocks.holds does."""
    L = LAYOUTS["mp4j.sharedmemory.ShareableListLayout"]
    if size < L["EMPTY_LENGTH"]:
        return -1
    head = read_at(fd, 0, 8)
    n = struct.unpack_from("=q", head, 0)[0] if len(head) == 8 else -1
    data_start = 8 * (n + 2)
    if n < 0 or n > (size - L["EMPTY_LENGTH"]) // 17 or data_start > LAYOUTS["mp4j.sharedmemory.SharedMemoryBlocks"]["DECODE_LIMIT"]:
        return -1
    head = read_at(fd, 0, data_start)
    if len(head) < data_start:
        return -1
    offsets = struct.unpack_from(f"={n + 1}q", head, L["OFFSETS_OFFSET"])
    data_length = offsets[n]
    formats_start = data_start + data_length
    if data_length < 0 or formats_start + (L["FORMAT_LENGTH"] + 1) * n != size:
        return -1
    previous = 0
    for i, offset in enumerate(offsets):
        if (offset != 0) if i == 0 else (offset < previous + L["ALIGNMENT"] or (offset - previous) % L["ALIGNMENT"]):
            return -1
        previous = offset
    tail = read_at(fd, formats_start, size - formats_start)
    if len(tail) < size - formats_start:
        return -1
    for i in range(n):
        word = tail[L["FORMAT_LENGTH"] * i: L["FORMAT_LENGTH"] * (i + 1)].rstrip(b"\0").decode("latin-1")
        code = struct.unpack_from("b", tail, L["FORMAT_LENGTH"] * n + i)[0]
        if format_problem(word, code, offsets[i + 1] - offsets[i]):
            return -1
    return n


def format_problem(fmt, code, slot):
    """As ShareableListLayout.formatProblem: True when no ShareableList writes this format and code."""
    L = LAYOUTS["mp4j.sharedmemory.ShareableListLayout"]
    if not L["CODE_PACKED"] <= code <= L["CODE_NONE"]:
        return True
    if fmt in (L["FORMAT_INT"], L["FORMAT_FLOAT"], L["FORMAT_BOOL"]):
        return code != L["CODE_PACKED"]
    if fmt == L["FORMAT_NONE"]:
        return code not in (L["CODE_NONE"], L["CODE_PACKED"])
    if len(fmt) < 2 or not fmt.endswith("s") or not all("0" <= c <= "9" for c in fmt[:-1]):
        return True
    return int(fmt[:-1]) > slot


def holds(path, name, size):
    """As mp4j.sharedmemory.SharedMemoryBlocks.holds: what a block of /dev/shm holds."""
    if name.startswith("sem."):
        return "POSIX semaphore"
    if size == 0:
        return "empty"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except PermissionError:
        return "? (permission denied)"
    except OSError:
        return "unreadable"
    try:
        items = shareable_list_items(fd, size)
        return LAYOUTS["mp4j.sharedmemory.SharedMemoryBlocks"]["BYTES"] if items < 0 else f"ShareableList({items} items)"
    except (OSError, struct.error, ValueError, MemoryError):
        return "unreadable"
    finally:
        os.close(fd)


def shared_memory_details(ses, e, name):
    R, buf, at = LAYOUTS["mp4j.sharedmemory.SharedMemoryRecordLayout"], ses.buf, e["offset"]
    if e["length"] < R["RECORD_LENGTH"]:
        return {"error": f"a SHARED_MEMORY entry shorter than its {R['RECORD_LENGTH']}-byte record"}
    state = i32(buf, at + R["STATE_OFFSET"])
    manager = bool(e["flags"] & R["FLAG_MANAGER"])
    out = {"role": "manager" if manager else "block",
           "state": ("open" if manager else "live") if state == R["LIVE"] else
           ("closed" if manager else "unlinked") if state == R["UNLINKED"] else f"unknown {state}",
           "creatorPid": i64(buf, at + R["CREATOR_PID_OFFSET"])}
    if manager:
        return out
    out["size"] = i64(buf, at + R["SIZE_OFFSET"])
    out["manager"] = i64(buf, at + R["OWNER_OFFSET"])
    if name_problem(name):
        return out
    path = os.path.join(shm_directory(), name)
    out["path"] = path
    out["exists"] = os.path.lexists(path)
    if out["exists"]:
        try:
            size = os.lstat(path).st_size
        except OSError:
            size = -1
        out["holds"] = "unreadable" if size < 0 else holds(path, name, size)
    return out


# ---------------------------------------------------------------------------------------------------- managers

class Segments:
    """A manager's /dev/shm blocks, read with plain reads (never mapped) as a ref first reaches them."""

    def __init__(self, buf, header_at, count):
        M = LAYOUTS["mp4j.managers.ManagerLayout"]
        rows = [header_at + M["SEGMENTS_OFFSET"] + i * M["SEGMENT_ROW"] for i in range(count)]
        self.names = [text(buf, row, (M["SEGMENT_NAME_FIELD"], M["SEGMENT_NAME_LENGTH"])) for row in rows]
        self.sizes = [i64(buf, row + M["SEGMENT_SIZE_FIELD"]) for row in rows]
        self.fds = {}

    def fd(self, segment):
        C = LAYOUTS["mp4j.managers.ContainerLayout"]
        if segment not in self.fds:
            if not 0 <= segment < len(self.names):
                raise ValueError(f"a ref names segment {segment} of {len(self.names)}")
            name, size = self.names[segment], self.sizes[segment]
            if name_problem(name) or not C["SEGMENT_HEADER_LENGTH"] <= size <= C["MAX_SEGMENT_SIZE"]:
                raise ValueError(f"segment {segment} has no valid name")
            fd = os.open(os.path.join(shm_directory(), name), os.O_RDONLY | os.O_NOFOLLOW)
            self.fds[segment] = fd
            head = read_at(fd, 0, 16)
            if (len(head) < 16 or struct.unpack_from("<Q", head, C["SEGMENT_MAGIC_OFFSET"])[0] != C["SEGMENT_MAGIC"] or
                    struct.unpack_from("<i", head, C["SEGMENT_NUMBER_OFFSET"])[0] != segment):
                raise ValueError(f"/dev/shm/{name} is not segment {segment} of a manager")
        return self.fds[segment]

    def read(self, ref, field, length):
        data = read_at(self.fd((ref >> 32) - 1), (ref & 0xFFFFFFFF) + field, length)
        if len(data) < length:
            raise ValueError("a ref past its segment's end")
        return data

    def i32(self, ref, field):
        return struct.unpack("<i", self.read(ref, field, 4))[0]

    def i64(self, ref, field):
        return struct.unpack("<q", self.read(ref, field, 8))[0]

    def record(self, ref):
        C = LAYOUTS["mp4j.managers.ContainerLayout"]
        key_length = self.i32(ref, C["RECORD_KEY_LENGTH_OFFSET"])
        value_length = self.i32(ref, C["RECORD_VALUE_LENGTH_OFFSET"])
        if key_length < 0 or value_length < 0 or key_length + value_length > 1 << 30:
            raise ValueError(f"a record of {key_length} + {value_length} bytes")
        data = self.read(ref, C["RECORD_DATA_OFFSET"], key_length + value_length)
        return data[:key_length], data[key_length:]

    def close(self):
        for fd in self.fds.values():
            os.close(fd)


def container_kind(kind):
    C = LAYOUTS["mp4j.managers.ContainerLayout"]
    return {C["DICT"]: "dict", C["LIST"]: "list", C["NAMESPACE"]: "namespace"}.get(kind, f"unknown({kind})")


def serialized_class(data):
    """The class named at the start of a Java serialization stream, as ManagerDescriber.serializedClass reads it."""
    if len(data) < 9 or data[0:2] != b"\xac\xed" or data[4] not in (0x73, 0x7E) or data[5] != 0x72:
        return "serialized"
    n = struct.unpack_from(">H", data, 6)[0]
    return data[8:8 + n].decode("utf-8", "replace") if 8 + n <= len(data) else "serialized"


def proxy(data):
    """A manager's container stored as a value (mp4j.managers.ProxyRef), as ManagerDescriber.proxy reads it."""
    if serialized_class(data) != "mp4j.managers.ProxyRef":
        return None
    p = 8 + struct.unpack_from(">H", data, 6)[0] + 9  # class name, serialVersionUID, flags
    count = struct.unpack_from(">H", data, p)[0]
    p += 2
    ints = []
    for _ in range(count):
        kind = chr(data[p])
        length = struct.unpack_from(">H", data, p + 1)[0]
        name = data[p + 3:p + 3 + length].decode("utf-8", "replace")
        p += 3 + length
        if kind == "I":
            ints.append(name)
        elif kind in "L[":
            p += 3 + struct.unpack_from(">H", data, p + 1)[0] if data[p] == 0x74 else 5
        else:
            return None
    p += 2  # TC_ENDBLOCKDATA, TC_NULL
    values = dict(zip(ints, struct.unpack_from(">" + "i" * len(ints), data, p)))
    if not {"id", "kind", "managerIndex"} <= values.keys():
        return None
    return f"<{container_kind(values['kind'])} #{values['id']} of manager {values['managerIndex']}>"


V = LAYOUTS["mp4j.codec.ValueCodec"]
FIXED = {V["NULL"]: (None, 0), V["BOOLEAN"]: ("<?", 1), V["BYTE"]: ("<b", 1), V["SHORT"]: ("<h", 2),
         V["CHAR"]: ("<H", 2), V["INT"]: ("<i", 4), V["LONG"]: ("<q", 8), V["FLOAT"]: ("<f", 4), V["DOUBLE"]: ("<d", 8)}
PRIMITIVE_ARRAYS = {V["INT_ARRAY"]: ("<i", 4), V["LONG_ARRAY"]: ("<q", 8), V["DOUBLE_ARRAY"]: ("<d", 8),
                    V["FLOAT_ARRAY"]: ("<f", 4), V["SHORT_ARRAY"]: ("<h", 2), V["CHAR_ARRAY"]: ("<H", 2),
                    V["BOOLEAN_ARRAY"]: ("<?", 1)}


def finite(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


def preview_at(data, at, depth=0):
    """One value of ValueCodec's encoding, as ManagerDescriber.preview shows it: (value, end)."""
    first = LAYOUTS["mp4j.managers.ManagerDescriber"]["FIRST"]
    if at >= len(data) or depth > 8:
        raise ValueError("truncated")
    tag, body = data[at], at + 1
    if tag in FIXED:
        fmt, size = FIXED[tag]
        if fmt is None:
            return None, body
        value = struct.unpack_from(fmt, data, body)[0]
        return (chr(value) if tag == V["CHAR"] else finite(value)), body + size
    n = struct.unpack_from("<i", data, body)[0]
    start = body + 4
    if n < 0:
        raise ValueError("negative count")
    if tag == V["STRING"]:
        return data[start:start + n].decode("utf-8", "replace"), start + n
    if tag == V["BYTES"]:
        return f"bytes[{n}]", start + n
    if tag == V["SERIALIZED"]:
        body = data[start:start + n]
        try:
            shown = proxy(body)
        except (struct.error, IndexError):
            shown = None
        return shown or f"<{serialized_class(body)}>", start + n
    if tag in PRIMITIVE_ARRAYS:
        fmt, size = PRIMITIVE_ARRAYS[tag]
        items = [struct.unpack_from(fmt, data, start + i * size)[0] for i in range(min(n, first))]
        items = [chr(c) for c in items] if tag == V["CHAR_ARRAY"] else [finite(c) for c in items]
        return items, start + n * size
    if tag in (V["LIST"], V["OBJECT_ARRAY"]):
        items, p = [], start
        for i in range(n):
            item, p = preview_at(data, p, depth + 1)
            if i < first:
                items.append(item)
        return items, p
    raise ValueError(f"tag {tag}")


def preview(data):
    try:
        value, end = preview_at(data, 0)
        return value if end == len(data) else "<corrupt>"
    except (ValueError, struct.error, IndexError):
        return "<corrupt>"


def container_details(seg, registry, cid):
    C = LAYOUTS["mp4j.managers.ContainerLayout"]
    first = LAYOUTS["mp4j.managers.ManagerDescriber"]["FIRST"]
    row = {"id": cid}
    try:
        at = registry + C["REGISTRY_ROWS_OFFSET"] + cid * C["REGISTRY_ROW"]
        kind = seg.i32(at, C["ROW_KIND_FIELD"])
        table = seg.i64(at, C["ROW_TABLE_FIELD"])
        row["kind"] = container_kind(kind)
        if kind == C["LIST"]:
            size = seg.i32(table, C["LIST_SIZE_OFFSET"])
            row["size"] = size
            row["values"] = [preview(seg.record(seg.i64(table, C["LIST_ROWS_OFFSET"] + 8 * i))[1])
                             for i in range(min(size, first))]
            return row
        slots, used = seg.i32(table, C["DICT_INDEX_SLOTS_OFFSET"]), seg.i32(table, C["DICT_USED_OFFSET"])
        row["size"] = seg.i32(table, C["DICT_LIVE_OFFSET"])
        entries = (C["DICT_INDEX_OFFSET"] + 4 * slots + 7) & ~7  # ContainerLayout.dictEntriesOffset: int slots
        keys, values = [], []
        for entry in range(used):
            if len(keys) >= first:
                break
            record = seg.i64(table, entries + C["DICT_ENTRY"] * entry + C["ENTRY_RECORD_FIELD"])
            if record:
                key, value = seg.record(record)
                keys.append(preview(key))
                values.append(preview(value))
        row["keys"], row["values"] = keys, values
    except (ValueError, struct.error, IndexError, OSError, KeyError, OverflowError) as ex:
        row["error"] = f"changing while read ({ex}); look again"
    return row


def manager_details(ses, e):
    M, buf, at = LAYOUTS["mp4j.managers.ManagerLayout"], ses.buf, e["offset"]
    state = i32(buf, at + M["STATE_OFFSET"])
    count = min(i32(buf, at + M["SEGMENT_COUNT_OFFSET"]), M["MAX_SEGMENTS"])
    out = {"state": {M["OPEN"]: "open", M["CLOSED"]: "shut down"}.get(state, f"unknown {state}"),
           "segments": count,
           "segmentBytes": sum(i64(buf, at + M["SEGMENTS_OFFSET"] + i * M["SEGMENT_ROW"] + M["SEGMENT_SIZE_FIELD"])
                               for i in range(max(0, count))),
           "bytesInUse": i64(buf, at + M["BYTES_IN_USE_OFFSET"]), "commits": i64(buf, at + M["COMMITS_OFFSET"]),
           "rollbacks": i32(buf, at + M["ROLLBACKS_OFFSET"]), "lock": lock_state(ses, at + M["LOCK_OFFSET"])}
    server = i32(buf, at + M["SERVER_SLOT_OFFSET"]) - 1
    if 0 <= server < ses.slot_count():
        out["serverPid"] = ses.pid(server)
        out["serverAlive"] = (ses.generation(server) == i32(buf, at + M["SERVER_GENERATION_OFFSET"]) and
                              ses.alive(server))
    out["containerCount"] = max(0, i32(buf, at + M["CONTAINERS_OFFSET"]))
    if state != M["OPEN"]:
        return out
    seg = Segments(buf, at, max(0, count))
    try:
        registry = i64(buf, at + M["REGISTRY_OFFSET"])
        shown = LAYOUTS["mp4j.managers.ManagerDescriber"]["CONTAINERS_SHOWN"]
        out["containers"] = [container_details(seg, registry, cid) for cid in range(min(out["containerCount"], shown))]
    finally:
        seg.close()
    return out


DETAILS = {"VALUE": ctypes_details, "ARRAY": ctypes_details, "LOCK": lock_details, "RLOCK": lock_details,
           "SEMAPHORE": semaphore_details, "BOUNDED_SEMAPHORE": semaphore_details, "EVENT": event_details,
           "CONDITION": condition_details, "BARRIER": barrier_details, "QUEUE": queue_details,
           "SIMPLE_QUEUE": queue_details, "JOINABLE_QUEUE": queue_details, "PIPE": pipe_details, "POOL": pool_details,
           "MANAGER": manager_details}


def entry_details(ses, e, kind, name):
    """What the entry's object holds; for an entry outside the data area or unreadable, an error, as the Java
    inspector reports it, never an exception."""
    lock = e["lockOffset"]
    if (e["length"] < 0 or e["offset"] < ses.data_start or e["offset"] + e["length"] > ses.data_end or
            (lock != -1 and (lock < ses.data_start or lock + 8 > ses.data_end))):
        return {"error": "entry points outside the data area: the directory is corrupt"}
    try:
        if kind == "SHARED_MEMORY":
            return shared_memory_details(ses, e, name)
        details = DETAILS.get(kind)
        return details(ses, e) if details else {}
    except (struct.error, IndexError, ValueError, OverflowError, TypeError) as ex:
        return {"error": f"cannot decode this {kind}: {ex}"}


# ------------------------------------------------------------------------------------------ file and processes

def proc_alive(pid, start_millis):
    """pid running, not a zombie, and started when the table says (a reused pid is not ours)."""
    if pid <= 0:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return False
    rest = data[data.rindex(")") + 2:].split()
    if rest[0] in ("Z", "X"):
        return False
    if start_millis == 0:
        return True
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as f:
        btime = next(int(line.split()[1]) for line in f if line.startswith("btime"))
    started = btime * 1000 + int(rest[19]) * 1000 // ticks
    return abs(started - start_millis) <= 1000  # btime has 1 s resolution


def user_name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def printable(value):
    """Text from a session file or /proc with control characters escaped, as mp4j.session.Printable does: a
    name may hold ESC or BEL, which a terminal would act on, or a newline that forges a line of output."""
    out = []
    for c in str(value):
        o = ord(c)
        if c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif o < 0x20 or 0x7F <= o <= 0x9F:
            out.append(f"\\x{o:02x}")
        elif 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069 or o in (0x2028, 0x2029, 0x200E, 0x200F, 0x061C):
            out.append(f"\\u{o:04x}")
        else:
            out.append(c)
    return "".join(out)


def align(value, alignment):
    return (value + alignment - 1) & -alignment


def check_geometry(path, h):
    """The same checks as Session.checkGeometry: every section where the layout puts it, for the declared length."""
    slots, capacity = h["processSlots"], h["directoryCapacity"]
    directory = HEADER_LENGTH + slots * SLOT_LENGTH
    payload = align(directory + capacity * ENTRY_LENGTH, 4096)
    data = align(payload + slots * S["PAYLOAD_LENGTH"], 4096)
    consistent = (h["headerLength"] == HEADER_LENGTH and h["processSlotLength"] == SLOT_LENGTH and
                  h["directoryEntryLength"] == ENTRY_LENGTH and h["payloadLength"] == S["PAYLOAD_LENGTH"] and
                  2 <= slots <= 4096 and 1 <= capacity <= 1 << 20 and h["processTableOffset"] == HEADER_LENGTH and
                  h["directoryOffset"] == directory and h["payloadOffset"] == payload and h["dataOffset"] == data and
                  h["dataOffset"] + h["dataLength"] == h["fileLength"] and h["fileLength"] > 0 and
                  0 <= h["dataAllocated"] <= h["dataLength"] + S["OBJECT_ALIGNMENT"] and h["directoryUsed"] >= 0)
    if not consistent:
        raise NotASession(f"session file {path} is corrupt: its header's section offsets and sizes do not agree "
                          f"with layout version {LAYOUT_VERSION}; remove it with 'launcher clean --all'")


def validate(path):
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise NotASession(f"{path} is a symbolic link, not a session file; mp4j never follows links to session files")
    if not stat.S_ISREG(st.st_mode):
        raise NotASession(f"{path} is not a regular file, so it is not a session file")
    if st.st_uid != os.geteuid():
        raise NotASession(f"session file {path} belongs to {user_name(st.st_uid)}, not to "
                          f"{user_name(os.geteuid())}; mp4j attaches only to its own user's sessions")
    if st.st_mode & 0o177:
        raise NotASession(f"session file {path} has mode {stat.filemode(st.st_mode)[1:]}; mp4j makes them rw------- "
                          f"(0600) and refuses wider ones: another user could have changed it. Remove it with "
                          f"'launcher clean --all'")
    with open(path, "rb") as f:
        head = f.read(HEADER_LENGTH)
    if len(head) < 8:
        raise NotASession(f"session file {path} is truncated ({st.st_size} bytes, less than a header); it is not "
                          f"usable, remove it with 'launcher clean --all'")
    magic = struct.unpack_from("<Q", head, S["MAGIC_OFFSET"])[0]
    if magic == 0:
        raise NotASession(f"session file {path} has no magic number: its creator is still writing it or died while "
                          f"doing so; try again, or remove it with 'launcher clean'")
    if magic != S["MAGIC"]:
        raise NotASession(f"{path} is not an mp4j session file (magic {magic:#018x}, expected \"MP4JSESS\")")
    if len(head) < HEADER_LENGTH:
        raise NotASession(f"session file {path} is truncated ({st.st_size} bytes, less than its {HEADER_LENGTH}-byte "
                          f"header); remove it with 'launcher clean --all'")
    h = fields(head, 0, HEADER)
    if h["layoutVersion"] != LAYOUT_VERSION:
        raise NotASession(f"session file {path} was made by layout version {h['layoutVersion']}; "
                          f"this script reads version {LAYOUT_VERSION}: use the mp4j that made it")
    if st.st_size < h["fileLength"]:
        raise NotASession(f"session file {path} is truncated: {st.st_size} bytes of the {h['fileLength']} its "
                          f"header declares; remove it with 'launcher clean --all'")
    check_geometry(path, h)
    return h["fileLength"]


def type_code(code):
    if not code:
        return None
    return chr(code) if 0 < code <= 0x10FFFF else f"?({code})"


def decode(path):
    """The snapshot of docs/inspect-json.md, and the file's bytes."""
    length = validate(path)
    now = int(time.time() * 1000)
    # Plain reads, never a mapping: a file truncated by another process while mapped would kill this process with
    # SIGBUS; read, it is merely short, and refused.
    with open(path, "rb") as f:
        buf = f.read(length)
    if len(buf) < length:
        raise NotASession(f"session file {path} is truncated: {len(buf)} bytes of the {length} its header declares "
                          f"(it shrank while being read); remove it with 'launcher clean --all'")
    h = fields(buf, 0, HEADER)
    ses = Session(buf, h)
    creator_alive = proc_alive(h["creatorPid"], h["creatorStartMillis"])
    header = {
        "file": path, "name": text(buf, 0, SESSION_NAME), "layoutVersion": h["layoutVersion"],
        "fileLength": h["fileLength"], "creatorPid": h["creatorPid"], "creatorStartMillis": h["creatorStartMillis"],
        "creatorAlive": creator_alive, "createdMillis": h["createdMillis"],
        "heartbeatAgeMs": now - h["heartbeatMillis"], "processSlots": h["processSlots"],
        "directoryCapacity": h["directoryCapacity"],
        "directoryUsed": max(0, min(h["directoryUsed"], h["directoryCapacity"])), "dataOffset": h["dataOffset"],
        "dataLength": h["dataLength"], "dataAllocated": h["dataAllocated"],
        "stale": not creator_alive and not any(ses.alive(s) for s in range(ses.slot_count())),
    }
    processes = []
    for slot, s in enumerate(ses.slots):
        if s["state"] == S["SLOT_FREE"]:
            continue
        base = h["processTableOffset"] + slot * SLOT_LENGTH
        state = STATES.get(s["state"], f"UNKNOWN({s['state']})")
        processes.append({
            "slot": slot, "pid": s["pid"], "name": text(buf, base, SLOT_NAME), "role": text(buf, base, SLOT_ROLE),
            "daemon": bool(s["flags"] & S["FLAG_DAEMON"]), "state": state,
            "exitCode": s["exitCode"] if s["state"] == S["SLOT_EXITED"] else None,
            "heartbeatAgeMs": now - s["heartbeatMillis"] if s["heartbeatMillis"] else None,
            "alive": ses.alive(slot), "exiting": bool(s["flags"] & S["FLAG_EXITING"]), "parentSlot": s["parentSlot"],
            "tasksDone": s["tasksDone"], "tasksFailed": s["tasksFailed"], "tasksInFlight": s["tasksInFlight"],
        })
    objects = []
    for index in range(header["directoryUsed"]):
        base = h["directoryOffset"] + index * ENTRY_LENGTH
        e = fields(buf, base, ENTRY)
        if e["kind"] == 0:
            continue
        kind = KINDS.get(e["kind"], f"UNKNOWN({e['kind']})")
        name = text(buf, base, ENTRY_NAME)
        objects.append({
            "index": index, "name": name, "kind": kind, "typeCode": type_code(e["typeCode"]), "offset": e["offset"],
            "length": e["length"], "lockOffset": None if e["lockOffset"] < 0 else e["lockOffset"],
            "count": e["count"], "creatorSlot": e["creatorSlot"], **entry_details(ses, e, kind, name),
        })
    return {"header": header, "processes": processes, "objects": objects}, buf


# ------------------------------------------------------------------------------------------------------ output

def hexdump(buf, start, length, label=None):
    """Rows of 16 bytes: offset, hex, ASCII; after a "-- label" line when there is one."""
    if label:
        print(f"-- {label}")
    for off in range(start, start + length, 16):
        chunk = bytes(buf[off:min(off + 16, start + length)])
        hexes = " ".join(f"{b:02x}" for b in chunk)
        print(f"{off:010x}  {hexes:<47}  {''.join(chr(b) if 32 <= b < 127 else '.' for b in chunk)}")


def lock_text(lock):
    """A lock state in one phrase, as InspectCommand prints it."""
    if "error" in lock:
        return lock["error"]
    if not lock["locked"]:
        words = "free"
    else:
        words = (f"held by pid {lock['ownerPid']} thread {lock['ownerThread']} "
                 f"({'alive' if lock['ownerAlive'] else 'DEAD'})")
        if lock["count"] > 1:
            words += f", depth {lock['count']}"
    if lock["waiters"]:
        words += f", {lock['waiters']} waiting"
    if lock["recoveries"]:
        words += f", taken from a dead owner {lock['recoveries']}x"
    return words


def show(snapshot, buf, args):
    """Prints the decoded snapshot as text (names escaped) or JSON, then the raw bytes if asked."""
    if args.json:
        print(json.dumps(snapshot, allow_nan=False))
    else:
        h = snapshot["header"]
        print(f"session {printable(h['name'])}  (layout v{h['layoutVersion']}, {printable(h['file'])})")
        print(f"creator pid {h['creatorPid']} {'alive' if h['creatorAlive'] else 'DEAD'}, "
              f"heartbeat {h['heartbeatAgeMs']} ms ago{'  [STALE]' if h['stale'] else ''}; data {h['dataAllocated']} "
              f"of {h['dataLength']} bytes used")
        print("\nPROCESSES")
        print(f"{'SLOT':>4} {'PID':>8} {'NAME':<20} {'ROLE':<8} {'DAEMON':<6} {'STATE':<8} {'EXIT':>5} {'ALIVE':<5}")
        for p in snapshot["processes"]:
            print(f"{p['slot']:>4} {p['pid']:>8} {printable(p['name'])[:20]:<20} {printable(p['role'])[:8]:<8} "
                  f"{str(p['daemon']).lower():<6} "
                  f"{p['state']:<8} {'-' if p['exitCode'] is None else p['exitCode']:>5} "
                  f"{'yes' if p['alive'] else 'no':<5}")
        print("\nOBJECTS")
        if not snapshot["objects"]:
            print("  (none)")
        common = ("index", "name", "kind", "typeCode", "offset", "length", "lockOffset", "count", "creatorSlot")
        for o in snapshot["objects"]:
            tc = f"'{printable(o['typeCode'])}'" if o["typeCode"] else ""
            details, rows = [], []
            for k, v in o.items():
                if k in common:
                    continue
                if k == "lock" and isinstance(v, dict):
                    details.append(f"lock={json.dumps(lock_text(v))}")
                elif isinstance(v, list) and v and isinstance(v[0], dict):
                    rows.extend(v)
                else:
                    details.append(f"{k}={json.dumps(v)}")
            print(f"{o['index']:>4} {printable(o['name'])[:24]:<24} {o['kind']:<16} {tc:<4} @{o['offset']:<10} "
                  f"{o['length']:>8} B {printable(' '.join(details))}")
            for row in rows:
                print("       " + printable(" ".join(f"{k}={json.dumps(v)}" for k, v in row.items())))
    if args.hex:
        show_hex(snapshot, buf)


def show_hex(snapshot, buf):
    """The raw bytes of each section, the sections marked as SessionLayout's overview draws them ("== name [start,
    end)"), as launcher inspect --hex marks them."""
    h = fields(buf, 0, HEADER)
    slots, table = h["processSlots"], h["processTableOffset"]
    print()
    print(f"== header [0, {HEADER_LENGTH}): the first 192 bytes")
    hexdump(buf, 0, 192)
    print(f"== process table [{table}, {table + slots * SLOT_LENGTH}): {slots} slots of {SLOT_LENGTH} bytes; "
          f"slots in use")
    for p in snapshot["processes"]:
        at = table + p["slot"] * SLOT_LENGTH
        hexdump(buf, at, SLOT_LENGTH, f"slot {p['slot']} at {at}")
    used, capacity = snapshot["header"]["directoryUsed"], h["directoryCapacity"]
    print(f"== object directory [{h['directoryOffset']}, {h['directoryOffset'] + capacity * ENTRY_LENGTH}): "
          f"{used} of {capacity} entries of {ENTRY_LENGTH} bytes in use")
    if used:
        hexdump(buf, h["directoryOffset"], used * ENTRY_LENGTH)
    payload, area = h["payloadOffset"], h["payloadLength"]
    print(f"== payload areas [{payload}, {payload + slots * area}): {slots} of {area} bytes, one per slot; the "
          f"payloads of slots in use (first 256 bytes)")
    for p in snapshot["processes"]:
        length = i32(buf, table + p["slot"] * SLOT_LENGTH + S["SLOT_PAYLOAD_LENGTH_OFFSET"])
        if 0 < length <= area:
            at = payload + p["slot"] * area
            hexdump(buf, at, min(length, 256), f"slot {p['slot']}'s payload at {at}, {length} bytes")
    shown = max(0, min(h["dataAllocated"], 4096))
    print(f"== data area [{h['dataOffset']}, {h['dataOffset'] + h['dataLength']}): {h['dataAllocated']} bytes "
          f"allocated; the first {shown}")
    if shown:
        hexdump(buf, h["dataOffset"], shown)


def main():
    parser = argparse.ArgumentParser(description="Decode an mp4j session file (python3 stdlib only).")
    parser.add_argument("file", nargs="?", help="session file; default: the newest /dev/shm/mp4j-*")
    parser.add_argument("--json", action="store_true", help="print one JSON object (docs/inspect-json.md)")
    parser.add_argument("--hex", action="store_true", help="also dump the raw bytes of each section")
    parser.add_argument("--layouts", action="store_true",
                        help="print the layout constants this script uses, as JSON, and exit")
    args = parser.parse_args()
    if args.layouts:
        print(json.dumps({"layouts": LAYOUTS, "kinds": {name: code for code, name in KINDS.items()}}))
        return 0
    path = args.file
    if path is None:
        candidates = sorted(glob.glob("/dev/shm/mp4j-*"), key=os.path.getmtime, reverse=True)
        candidates = [c for c in candidates if "." not in os.path.basename(c)]  # no spill side files
        if not candidates:
            print("error: no mp4j session in /dev/shm; name a session file", file=sys.stderr)
            return 1
        path = candidates[0]
    try:
        snapshot, buf = decode(path)
    except (NotASession, OSError) as ex:
        print(f"error: {printable(ex)}", file=sys.stderr)
        return 1
    except Exception as ex:  # a damaged file must give one clear line, never a traceback
        print(f"error: session file {printable(path)} is corrupt ({type(ex).__name__}: {printable(ex)}); remove it "
              f"with 'launcher clean --all'", file=sys.stderr)
        return 1
    try:
        show(snapshot, buf, args)
    except Exception as ex:
        print(f"error: session file {printable(path)} is corrupt ({type(ex).__name__}: {printable(ex)}); remove it "
              f"with 'launcher clean --all'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

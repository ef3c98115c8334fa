#!/usr/bin/env python3
"""Decode an mp4j session file without Java: python3 standard library only (struct over plain reads).

Follows the one layout description, the javadoc of shared/src/main/java/mp4j/session/SessionLayout.java
(header, process table, object directory, data area). Usage:

    scripts/inspect.py [SESSION_FILE] [--json] [--hex]

With no file, the newest mp4j-* file in /dev/shm. Exit codes: 0 ok, 1 not a usable session file, 2 usage.
"""
import argparse
import glob
import json
import mmap
import os
import pwd
import stat
import struct
import sys
import time

MAGIC = 0x5353455334504A4D  # "MP4JSESS" read as a little-endian long
LAYOUT_VERSION = 2
HEADER_LENGTH = 4096
SLOT_LENGTH = 256
ENTRY_LENGTH = 128
PAYLOAD_LENGTH = 64 * 1024
OBJECT_ALIGNMENT = 64

# Header: (name, offset, struct format), as the SessionLayout table.
HEADER = [
    ("magic", 0, "<Q"), ("layoutVersion", 8, "<i"), ("headerLength", 12, "<i"), ("fileLength", 16, "<q"),
    ("creatorPid", 24, "<q"), ("creatorStartMillis", 32, "<q"), ("createdMillis", 40, "<q"),
    ("heartbeatMillis", 48, "<q"), ("processTableOffset", 56, "<q"), ("processSlots", 64, "<i"),
    ("processSlotLength", 68, "<i"), ("directoryOffset", 72, "<q"), ("directoryCapacity", 80, "<i"),
    ("directoryEntryLength", 84, "<i"), ("dataOffset", 88, "<q"), ("dataLength", 96, "<q"),
    ("dataAllocated", 104, "<q"), ("directoryUsed", 112, "<i"), ("payloadLength", 116, "<i"),
    ("payloadOffset", 120, "<q"),
]
SESSION_NAME = (128, 64)

SLOT = [
    ("state", 0, "<i"), ("flags", 4, "<i"), ("pid", 8, "<q"), ("startMillis", 16, "<q"),
    ("heartbeatMillis", 24, "<q"), ("exitCode", 32, "<i"), ("parentSlot", 36, "<i"), ("createdMillis", 40, "<q"),
    ("payloadLength", 48, "<i"), ("generation", 52, "<i"), ("tasksDone", 56, "<q"), ("tasksFailed", 64, "<q"),
    ("tasksInFlight", 72, "<q"),
]
SLOT_NAME = (128, 64)
SLOT_ROLE = (192, 64)
STATES = {0: "FREE", 1: "NEW", 2: "RUNNING", 3: "EXITED"}
FLAG_DAEMON, FLAG_KILLED, FLAG_EXITING = 1, 2, 4

ENTRY = [
    ("kind", 0, "<i"), ("typeCode", 4, "<i"), ("offset", 8, "<q"), ("length", 16, "<q"), ("lockOffset", 24, "<q"),
    ("count", 32, "<q"), ("creatorSlot", 40, "<i"), ("flags", 44, "<i"),
]
ENTRY_NAME = (48, 80)
KINDS = ["EMPTY", "VALUE", "ARRAY", "LOCK", "RLOCK", "SEMAPHORE", "BOUNDED_SEMAPHORE", "EVENT", "CONDITION",
         "BARRIER", "QUEUE", "SIMPLE_QUEUE", "JOINABLE_QUEUE", "PIPE", "POOL", "RING", "BLOCK", "SHARED_MEMORY",
         "MANAGER"]


# A pool (mp4j.pool.PoolLayout): header, then per worker position a 64-byte header and two Agrona rings
POOL_HEADER = [("workers", 0, "<i"), ("ringCapacity", 4, "<i"), ("state", 8, "<i"), ("ownerSlot", 12, "<i")]
POOL_POSITION = [("slot", 0, "<i"), ("starts", 4, "<i"), ("tasksSent", 8, "<q"), ("ready", 16, "<i")]
POOL_STATES = {1: "RUNNING", 2: "CLOSING", 3: "STOPPED", 4: "REUSED"}
RING_TRAILER = 768          # Agrona RingBufferDescriptor.TRAILER_LENGTH
RING_TAIL, RING_HEAD = 128, 384  # Agrona RingBufferDescriptor TAIL_POSITION_OFFSET, HEAD_POSITION_OFFSET


def ring_bytes(buf, at, capacity):
    tail = struct.unpack_from("<q", buf, at + capacity + RING_TAIL)[0]
    head = struct.unpack_from("<q", buf, at + capacity + RING_HEAD)[0]
    return max(0, tail - head)


def pool_details(buf, e, processes):
    p = fields(buf, e["offset"], POOL_HEADER)
    ring = p["ringCapacity"] + RING_TRAILER
    stride = 64 + 2 * ring
    if not (0 <= p["workers"] <= 4096) or 64 + p["workers"] * stride > e["length"]:
        return {"error": "pool header disagrees with its directory entry"}
    pids = {proc["slot"]: proc for proc in processes}
    workers = []
    for w in range(p["workers"]):
        at = e["offset"] + 64 + w * stride
        pos = fields(buf, at, POOL_POSITION)
        proc = pids.get(pos["slot"], {})
        workers.append({"position": w, "slot": pos["slot"], "pid": proc.get("pid"), "alive": proc.get("alive"),
                        "tasksDone": proc.get("tasksDone"), "starts": pos["starts"], "tasksSent": pos["tasksSent"],
                        "ready": pos["ready"] == 1, "taskRingBytes": ring_bytes(buf, at + 64, p["ringCapacity"]),
                        "resultRingBytes": ring_bytes(buf, at + 64 + ring, p["ringCapacity"])})
    return {"state": POOL_STATES.get(p["state"], f"UNKNOWN({p['state']})"), "ringCapacity": p["ringCapacity"],
            "workers": workers}


# A lock word (mp4j.synchronize.LockWord): owner = generation<<48 | (slot+1)<<32 | thread id
LOCK_WORD = [("owner", 0, "<Q"), ("count", 8, "<i"), ("waiters", 12, "<i"), ("ownerDied", 16, "<i"),
             ("recoveries", 20, "<i")]
# Value and Array (mp4j.sharedctypes.Synchronized): own lock at 0, a Value's value at 40, an Array's elements at 64
VALUE_AT, ELEMENTS_AT = 40, 64
CTYPES = {"b": "<b", "B": "<B", "c": "<B", "h": "<h", "H": "<H", "i": "<i", "I": "<I", "f": "<f",
          "l": "<q", "L": "<Q", "q": "<q", "Q": "<Q", "d": "<d"}


def lock_details(buf, at, processes):
    w = fields(buf, at, LOCK_WORD)
    if w["owner"] == 0:
        return {"locked": False, "waiters": w["waiters"], "recoveries": w["recoveries"]}
    slot = ((w["owner"] >> 32) & 0xFFFF) - 1
    owner = next((p for p in processes if p["slot"] == slot), {})
    return {"locked": True, "ownerSlot": slot, "ownerPid": owner.get("pid"), "ownerThread": w["owner"] & 0xFFFFFFFF,
            "ownerAlive": owner.get("alive", False), "count": w["count"], "waiters": w["waiters"],
            "ownerDied": w["ownerDied"] == 1, "recoveries": w["recoveries"]}


def lock_object_details(buf, e, processes):
    return lock_details(buf, e["offset"], processes)


def ctype_details(buf, e, processes):
    code = chr(e["typeCode"]) if e["typeCode"] else None
    fmt = CTYPES.get(code)
    if fmt is None:
        return {"error": f"unknown type code {e['typeCode']}"}
    out = {}
    if KINDS[e["kind"]] == "VALUE":
        out["value"] = struct.unpack_from(fmt, buf, e["offset"] + VALUE_AT)[0]
    else:
        size = struct.calcsize(fmt)
        shown = min(e["count"], 8, max(0, (e["length"] - ELEMENTS_AT) // size))
        out["elements"] = e["count"]
        out["first"] = [struct.unpack_from(fmt, buf, e["offset"] + ELEMENTS_AT + i * size)[0] for i in range(shown)]
    if e["lockOffset"] >= 0:
        out["lock"] = lock_details(buf, e["lockOffset"], processes)
    return out


# A queue (mp4j.queues.QueueLayout): capacity at 0, maxsize at 8, values written into the ring at 64 and read
# at 128, the consumers' lock word at 320, the spill header at 768 (mp4j.queues.SpillLayout: segment bytes at
# +16, records appended at +72, records taken at +136)
QUEUE_HEADER = [("capacity", 0, "<i"), ("maxsize", 8, "<i"), ("sent", 64, "<q"), ("received", 128, "<q")]
QUEUE_CONSUMER_LOCK = 320
QUEUE_SPILL = 768
SPILL_HEADER = [("liveBytes", 16, "<q"), ("tailIndex", 72, "<q"), ("headIndex", 136, "<q")]


def queue_details(buf, e, processes):
    q = fields(buf, e["offset"], QUEUE_HEADER)
    spill = fields(buf, e["offset"] + QUEUE_SPILL, SPILL_HEADER)
    spilled = max(0, spill["tailIndex"] - spill["headIndex"])
    return {"depth": max(0, q["sent"] - q["received"]) + spilled, "maxsize": q["maxsize"],
            "capacity": q["capacity"], "sent": q["sent"], "spilled": spilled,
            "spillBytes": max(0, spill["liveBytes"]),
            "lock": lock_details(buf, e["offset"] + QUEUE_CONSUMER_LOCK, processes)}


# A manager (mp4j.managers.ManagerLayout): header in the data area; its containers in /dev/shm segments laid out as
# mp4j.managers.ContainerLayout. Read without the lock: a container changing at that moment shows an error.
MANAGER_HEADER = [("state", 32, "<i"), ("version", 36, "<i"), ("segmentCount", 44, "<i"), ("registry", 48, "<q"),
                  ("containers", 56, "<i"), ("bytesInUse", 96, "<q"), ("commits", 104, "<q"),
                  ("rollbacks", 112, "<i"), ("serverSlot", 120, "<i"), ("serverGeneration", 124, "<i")]
MANAGER_SEGMENTS, SEGMENT_ROW, SEGMENT_NAME = 128, 32, (16, 16)
SEGMENT_MAGIC = 0x504145484A34504D  # "MP4JHEAP"
CONTAINER_KINDS = {1: "dict", 2: "list", 3: "namespace"}
CONTAINERS_SHOWN, FIRST = 64, 8


class Segments:
    """The manager's /dev/shm blocks, mapped read-only as a ref first reaches them."""

    def __init__(self, buf, header_at, count):
        self.names = [text(buf, header_at + MANAGER_SEGMENTS + i * SEGMENT_ROW, SEGMENT_NAME) for i in range(count)]
        self.maps = {}

    def view(self, ref):
        segment = (ref >> 32) - 1
        if segment not in self.maps:
            name = self.names[segment]
            if not name or "/" in name or ".." in name:
                raise ValueError(f"segment {segment} has no valid name")
            with open(os.path.join("/dev/shm", name), "rb") as f:
                m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            if struct.unpack_from("<Q", m, 0)[0] != SEGMENT_MAGIC:
                raise ValueError(f"/dev/shm/{name} is not a manager segment")
            self.maps[segment] = m
        return self.maps[segment], ref & 0xFFFFFFFF

    def i32(self, ref, field):
        m, at = self.view(ref)
        return struct.unpack_from("<i", m, at + field)[0]

    def i64(self, ref, field):
        m, at = self.view(ref)
        return struct.unpack_from("<q", m, at + field)[0]

    def record(self, ref):
        m, at = self.view(ref)
        key_length, value_length = struct.unpack_from("<ii", m, at + 8)
        if key_length < 0 or value_length < 0:
            raise ValueError("corrupt record")
        return bytes(m[at + 16: at + 16 + key_length]), bytes(m[at + 16 + key_length: at + 16 + key_length + value_length])

    def close(self):
        for m in self.maps.values():
            m.close()


def serialized_class(data):
    """The class named at the start of a Java serialization stream, as mp4j.managers.Describe reads it."""
    if len(data) < 9 or data[0:2] != b"\xac\xed" or data[4] not in (0x73, 0x7E) or data[5] != 0x72:
        return "serialized"
    n = struct.unpack_from(">H", data, 6)[0]
    return data[8:8 + n].decode("utf-8", "replace") if 8 + n <= len(data) else "serialized"


def proxy(data):
    """A manager's container stored as a value (mp4j.managers.ProxyRef), as Describe.proxy reads it, or None."""
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
    kind = CONTAINER_KINDS.get(values["kind"], f"unknown({values['kind']})")
    return f"<{kind} #{values['id']} of manager {values['managerIndex']}>"


PRIMITIVE_ARRAYS = {11: ("<i", 4), 12: ("<q", 8), 13: ("<d", 8), 14: ("<f", 4), 15: ("<h", 2), 16: ("<H", 2),
                    17: ("<?", 1)}


def preview_at(data, at, depth=0):
    """One value of mp4j.codec.ValueCodec's encoding, as mp4j.managers.Describe.preview shows it: (value, end)."""
    if at >= len(data) or depth > 8:
        raise ValueError("truncated")
    tag, body = data[at], at + 1
    fixed = {0: (None, 0), 1: ("<?", 1), 2: ("<b", 1), 3: ("<h", 2), 4: ("<H", 2), 5: ("<i", 4), 6: ("<q", 8),
             7: ("<f", 4), 8: ("<d", 8)}
    if tag in fixed:
        fmt, size = fixed[tag]
        if fmt is None:
            return None, body
        value = struct.unpack_from(fmt, data, body)[0]
        if tag == 4:
            value = chr(value)
        elif tag == 1:
            value = bool(value)
        return value, body + size
    n = struct.unpack_from("<i", data, body)[0]
    start = body + 4
    if n < 0:
        raise ValueError("negative count")
    if tag == 9:
        return data[start:start + n].decode("utf-8", "replace"), start + n
    if tag == 10:
        return f"bytes[{n}]", start + n
    if tag == 20:
        body = data[start:start + n]
        try:
            shown = proxy(body)
        except (struct.error, IndexError):
            shown = None
        return shown or f"<{serialized_class(body)}>", start + n
    if tag in PRIMITIVE_ARRAYS:
        fmt, size = PRIMITIVE_ARRAYS[tag]
        items = [struct.unpack_from(fmt, data, start + i * size)[0] for i in range(min(n, FIRST))]
        if tag == 16:
            items = [chr(c) for c in items]
        return items, start + n * size
    if tag in (18, 19):
        items, p = [], start
        for i in range(n):
            item, p = preview_at(data, p, depth + 1)
            if i < FIRST:
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
    row = {"id": cid}
    try:
        at = registry + 16 + cid * 16
        kind = seg.i32(at, 0)
        table = seg.i64(at, 8)
        row["kind"] = CONTAINER_KINDS.get(kind, f"unknown({kind})")
        if kind == 2:
            size = seg.i32(table, 12)
            row["size"] = size
            row["values"] = [preview(seg.record(seg.i64(table, 16 + 8 * i))[1]) for i in range(min(size, FIRST))]
            return row
        slots, used, live = seg.i32(table, 8), seg.i32(table, 16), seg.i32(table, 20)
        entries = (24 + 4 * slots + 7) & ~7
        row["size"] = live
        keys, values = [], []
        for entry in range(used):
            if len(keys) >= FIRST:
                break
            record = seg.i64(table, entries + 16 * entry + 8)
            if record:
                key, value = seg.record(record)
                keys.append(preview(key))
                values.append(preview(value))
        row["keys"], row["values"] = keys, values
    except (ValueError, struct.error, IndexError, OSError, KeyError) as ex:
        row["error"] = f"changing while read ({ex}); look again"
    return row


def manager_details(buf, e, processes):
    at = e["offset"]
    h = fields(buf, at, MANAGER_HEADER)
    state = {1: "open", 2: "shut down"}.get(h["state"], f"unknown {h['state']}")
    count = max(0, min(h["segmentCount"], 64))
    out = {"state": state, "segments": count,
           "segmentBytes": sum(struct.unpack_from("<q", buf, at + MANAGER_SEGMENTS + i * SEGMENT_ROW)[0]
                               for i in range(count)),
           "bytesInUse": h["bytesInUse"], "commits": h["commits"], "rollbacks": h["rollbacks"],
           "lock": lock_details(buf, at, processes), "containerCount": max(0, h["containers"])}
    server = next((p for p in processes if p["slot"] == h["serverSlot"] - 1), None) if h["serverSlot"] > 0 else None
    if server is not None:
        generation = struct.unpack_from("<i", buf, fields(buf, 0, HEADER)["processTableOffset"] +
                                        server["slot"] * SLOT_LENGTH + 52)[0]
        out["serverPid"] = server["pid"]
        out["serverAlive"] = server["alive"] and generation == h["serverGeneration"]
    if h["state"] != 1:
        return out
    seg = Segments(buf, at, count)
    try:
        out["containers"] = [container_details(seg, h["registry"], cid)
                             for cid in range(min(out["containerCount"], CONTAINERS_SHOWN))]
    finally:
        seg.close()
    return out


DETAILS = {"POOL": pool_details, "MANAGER": manager_details, "LOCK": lock_object_details, "RLOCK": lock_object_details,
           "VALUE": ctype_details, "ARRAY": ctype_details, "QUEUE": queue_details, "SIMPLE_QUEUE": queue_details,
           "JOINABLE_QUEUE": queue_details}


class NotASession(Exception):
    pass


def fields(buf, base, spec):
    return {name: struct.unpack_from(fmt, buf, base + off)[0] for name, off, fmt in spec}


def text(buf, base, field):
    off, width = field
    raw = bytes(buf[base + off: base + off + width])
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


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
    """The same checks as Session.checkGeometry: every section where layout v1 puts it, for the declared length."""
    slots, capacity = h["processSlots"], h["directoryCapacity"]
    directory = HEADER_LENGTH + slots * SLOT_LENGTH
    payload = align(directory + capacity * ENTRY_LENGTH, 4096)
    data = align(payload + slots * PAYLOAD_LENGTH, 4096)
    consistent = (h["headerLength"] == HEADER_LENGTH and h["processSlotLength"] == SLOT_LENGTH and
                  h["directoryEntryLength"] == ENTRY_LENGTH and h["payloadLength"] == PAYLOAD_LENGTH and
                  2 <= slots <= 4096 and 1 <= capacity <= 1 << 20 and h["processTableOffset"] == HEADER_LENGTH and
                  h["directoryOffset"] == directory and h["payloadOffset"] == payload and h["dataOffset"] == data and
                  h["dataOffset"] + h["dataLength"] == h["fileLength"] and h["fileLength"] > 0 and
                  0 <= h["dataAllocated"] <= h["dataLength"] + OBJECT_ALIGNMENT and h["directoryUsed"] >= 0)
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
    magic = struct.unpack_from("<Q", head, 0)[0]
    if magic == 0:
        raise NotASession(f"session file {path} has no magic number: its creator is still writing it or died while "
                          f"doing so; try again, or remove it with 'launcher clean'")
    if magic != MAGIC:
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


def decode(path):
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
    header = {
        "file": path, "name": text(buf, 0, SESSION_NAME), "layoutVersion": h["layoutVersion"],
        "fileLength": h["fileLength"], "creatorPid": h["creatorPid"],
        "creatorStartMillis": h["creatorStartMillis"],
        "creatorAlive": proc_alive(h["creatorPid"], h["creatorStartMillis"]),
        "createdMillis": h["createdMillis"], "heartbeatAgeMs": now - h["heartbeatMillis"],
        "processSlots": h["processSlots"], "directoryCapacity": h["directoryCapacity"],
        "directoryUsed": min(h["directoryUsed"], h["directoryCapacity"]), "dataOffset": h["dataOffset"],
        "dataLength": h["dataLength"], "dataAllocated": h["dataAllocated"],
    }
    processes = []
    for slot in range(h["processSlots"]):
        base = h["processTableOffset"] + slot * SLOT_LENGTH
        s = fields(buf, base, SLOT)
        if s["state"] == 0:
            continue
        state = STATES.get(s["state"], f"UNKNOWN({s['state']})")
        alive = state in ("NEW", "RUNNING") and proc_alive(s["pid"], s["startMillis"])
        processes.append({
            "slot": slot, "pid": s["pid"], "name": text(buf, base, SLOT_NAME), "role": text(buf, base, SLOT_ROLE),
            "daemon": bool(s["flags"] & FLAG_DAEMON), "state": state,
            "exitCode": s["exitCode"] if state == "EXITED" else None,
            "heartbeatAgeMs": now - s["heartbeatMillis"] if s["heartbeatMillis"] else None,
            "alive": alive, "exiting": bool(s["flags"] & FLAG_EXITING), "parentSlot": s["parentSlot"],
            "tasksDone": s["tasksDone"],
            "tasksFailed": s["tasksFailed"], "tasksInFlight": s["tasksInFlight"],
        })
    objects = []
    for index in range(header["directoryUsed"]):
        base = h["directoryOffset"] + index * ENTRY_LENGTH
        e = fields(buf, base, ENTRY)
        if e["kind"] == 0:
            continue
        kind = KINDS[e["kind"]] if 0 <= e["kind"] < len(KINDS) else f"UNKNOWN({e['kind']})"
        objects.append({**entry_details(buf, e, kind, h, processes),
            "index": index, "name": text(buf, base, ENTRY_NAME), "kind": kind,
            "typeCode": (chr(e["typeCode"]) if 0 < e["typeCode"] < 0x110000 else f"?({e['typeCode']})")
            if e["typeCode"] else None, "offset": e["offset"],
            "length": e["length"], "lockOffset": None if e["lockOffset"] < 0 else e["lockOffset"],
            "count": e["count"], "creatorSlot": e["creatorSlot"],
        })
    return {"header": header, "processes": processes, "objects": objects}, buf


def entry_details(buf, e, kind, h, processes):
    """What the entry's object holds; for an entry outside the data area or unreadable, an error, as the Java
    inspector reports it, never an exception."""
    data_end = h["dataOffset"] + h["dataLength"]
    if e["length"] < 0 or e["offset"] < h["dataOffset"] or e["offset"] + e["length"] > data_end:
        return {"error": "entry points outside the data area: the directory is corrupt"}
    details = DETAILS.get(kind)
    if details is None:
        return {}
    try:
        return details(buf, e, processes)
    except (struct.error, IndexError, ValueError, OverflowError, TypeError) as ex:
        return {"error": f"cannot decode this {kind}: {ex}"}


def hexdump(buf, start, length, label):
    print(f"== {label} [{start}, {start + length})")
    for off in range(start, start + length, 16):
        chunk = bytes(buf[off:min(off + 16, start + length)])
        hexes = " ".join(f"{b:02x}" for b in chunk)
        print(f"{off:010x}  {hexes:<47}  {''.join(chr(b) if 32 <= b < 127 else '.' for b in chunk)}")


def main():
    parser = argparse.ArgumentParser(description="Decode an mp4j session file (python3 stdlib only).")
    parser.add_argument("file", nargs="?", help="session file; default: the newest /dev/shm/mp4j-*")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--hex", action="store_true", help="also dump the raw bytes of each section")
    args = parser.parse_args()
    path = args.file
    if path is None:
        candidates = sorted(glob.glob("/dev/shm/mp4j-*"), key=os.path.getmtime, reverse=True)
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


def show(snapshot, buf, args):
    """Prints the decoded snapshot as text (names escaped) or JSON, then the raw bytes if asked."""
    if args.json:
        print(json.dumps(snapshot))
    else:
        h = snapshot["header"]
        print(f"session {printable(h['name'])}  (layout v{h['layoutVersion']}, {printable(h['file'])})")
        print(f"creator pid {h['creatorPid']} {'alive' if h['creatorAlive'] else 'DEAD'}, "
              f"heartbeat {h['heartbeatAgeMs']} ms ago; data {h['dataAllocated']} of {h['dataLength']} bytes used")
        print("\nPROCESSES")
        print(f"{'SLOT':>4} {'PID':>8} {'NAME':<20} {'ROLE':<8} {'DAEMON':<6} {'STATE':<8} {'EXIT':>5} {'ALIVE':<5}")
        for p in snapshot["processes"]:
            print(f"{p['slot']:>4} {p['pid']:>8} {printable(p['name'])[:20]:<20} {printable(p['role'])[:8]:<8} "
                  f"{str(p['daemon']):<6} "
                  f"{p['state']:<8} {'-' if p['exitCode'] is None else p['exitCode']:>5} "
                  f"{'yes' if p['alive'] else 'no':<5}")
        print("\nOBJECTS")
        for o in snapshot["objects"] or [None]:
            if o is None:
                print("  (none)")
                break
            tc = f"'{printable(o['typeCode'])}'" if o["typeCode"] else ""
            print(f"{o['index']:>4} {printable(o['name'])[:24]:<24} {o['kind']:<16} {tc:<4} @{o['offset']:<10} "
                  f"{o['length']:>8} B")
            shown = {k: v for k, v in o.items() if k in ("value", "elements", "first", "locked", "ownerPid",
                                                               "ownerAlive", "waiters", "ownerDied", "depth",
                                                               "maxsize", "capacity", "error")}
            if "lock" in o:
                shown["lock"] = {k: v for k, v in o["lock"].items() if k in ("locked", "ownerPid", "ownerAlive")}
            if shown:
                print("       " + " ".join(f"{k}={json.dumps(v)}" for k, v in shown.items()))
            if o["kind"] == "MANAGER" and "serverPid" in o:
                print(f"       server pid {o['serverPid']} {'alive' if o['serverAlive'] else 'GONE'}")
            if o["kind"] == "MANAGER":
                print(f"       {o.get('state')}, {o.get('containerCount')} containers, {o.get('bytesInUse')} bytes "
                      f"in use of {o.get('segmentBytes')} in {o.get('segments')} blocks, "
                      f"{o.get('rollbacks')} updates undone")
            for c in o.get("containers", []):
                print("       " + " ".join(f"{k}={json.dumps(v)}" for k, v in c.items()))
            for w in o.get("workers", []):
                print(f"       worker {w['position']}: pid {w['pid']} {'alive' if w['alive'] else 'gone'}, "
                      f"{w['tasksDone']} tasks done, {w['tasksSent']} sent, started {w['starts']}x, "
                      f"rings {w['taskRingBytes']}/{w['resultRingBytes']} B")
    if args.hex:
        h = fields(buf, 0, HEADER)
        hexdump(buf, 0, 192, "header (first 192 of 4096 bytes)")
        for p in snapshot["processes"]:
            hexdump(buf, h["processTableOffset"] + p["slot"] * SLOT_LENGTH, SLOT_LENGTH, f"process slot {p['slot']}")
        used = snapshot["header"]["directoryUsed"]
        if used:
            hexdump(buf, h["directoryOffset"], used * ENTRY_LENGTH, "object directory (entries in use)")
        shown = min(h["dataAllocated"], 4096)
        if shown:
            hexdump(buf, h["dataOffset"], shown, f"data area (first {shown} allocated bytes)")


if __name__ == "__main__":
    sys.exit(main())

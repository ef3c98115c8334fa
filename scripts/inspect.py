#!/usr/bin/env python3
"""Decode an mp4j session file without Java: python3 standard library only (mmap + struct).

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
import stat
import struct
import sys
import time

MAGIC = 0x5353455334504A4D  # "MP4JSESS" read as a little-endian long
LAYOUT_VERSION = 2
HEADER_LENGTH = 4096
SLOT_LENGTH = 256
ENTRY_LENGTH = 128

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
         "BARRIER", "QUEUE", "SIMPLE_QUEUE", "JOINABLE_QUEUE", "PIPE", "POOL", "RING", "BLOCK", "SHARED_MEMORY"]


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


DETAILS = {"POOL": pool_details, "LOCK": lock_object_details, "RLOCK": lock_object_details,
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


def validate(path):
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise NotASession(f"{path} is a symbolic link, not a session file")
    if not stat.S_ISREG(st.st_mode):
        raise NotASession(f"{path} is not a regular file, so it is not a session file")
    if st.st_mode & 0o077:
        raise NotASession(f"session file {path} has mode {oct(st.st_mode & 0o777)}; mp4j makes them 0600")
    with open(path, "rb") as f:
        head = f.read(HEADER_LENGTH)
    if len(head) < 8:
        raise NotASession(f"session file {path} is truncated ({st.st_size} bytes, less than a header)")
    magic = struct.unpack_from("<Q", head, 0)[0]
    if magic != MAGIC:
        raise NotASession(f"{path} is not an mp4j session file (magic {magic:#018x})")
    if len(head) < HEADER_LENGTH:
        raise NotASession(f"session file {path} is truncated ({st.st_size} bytes)")
    h = fields(head, 0, HEADER)
    if h["layoutVersion"] != LAYOUT_VERSION:
        raise NotASession(f"session file {path} was made by layout version {h['layoutVersion']}; "
                          f"this script reads version {LAYOUT_VERSION}")
    if st.st_size < h["fileLength"]:
        raise NotASession(f"session file {path} is truncated: {st.st_size} of {h['fileLength']} bytes")
    if (h["processSlotLength"], h["directoryEntryLength"]) != (SLOT_LENGTH, ENTRY_LENGTH):
        raise NotASession(f"session file {path} is corrupt: slot/entry sizes disagree with layout v{LAYOUT_VERSION}")
    return h["fileLength"]


def decode(path):
    length = validate(path)
    now = int(time.time() * 1000)
    with open(path, "rb") as f:
        buf = mmap.mmap(f.fileno(), length, access=mmap.ACCESS_READ)
    try:
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
            details = DETAILS.get(KINDS[e["kind"]] if e["kind"] < len(KINDS) else None)
            objects.append({**({} if details is None else details(buf, e, processes)),
                "index": index, "name": text(buf, base, ENTRY_NAME),
                "kind": KINDS[e["kind"]] if e["kind"] < len(KINDS) else f"UNKNOWN({e['kind']})",
                "typeCode": chr(e["typeCode"]) if e["typeCode"] else None, "offset": e["offset"],
                "length": e["length"], "lockOffset": None if e["lockOffset"] < 0 else e["lockOffset"],
                "count": e["count"], "creatorSlot": e["creatorSlot"],
            })
        return {"header": header, "processes": processes, "objects": objects}, buf
    except Exception:
        buf.close()
        raise


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
    except (NotASession, OSError, ValueError, struct.error) as ex:
        print(f"error: {ex}", file=sys.stderr)
        return 1
    with buf:
        if args.json:
            print(json.dumps(snapshot))
        else:
            h = snapshot["header"]
            print(f"session {h['name']}  (layout v{h['layoutVersion']}, {h['file']})")
            print(f"creator pid {h['creatorPid']} {'alive' if h['creatorAlive'] else 'DEAD'}, "
                  f"heartbeat {h['heartbeatAgeMs']} ms ago; data {h['dataAllocated']} of {h['dataLength']} bytes used")
            print("\nPROCESSES")
            print(f"{'SLOT':>4} {'PID':>8} {'NAME':<20} {'ROLE':<8} {'DAEMON':<6} {'STATE':<8} {'EXIT':>5} {'ALIVE':<5}")
            for p in snapshot["processes"]:
                print(f"{p['slot']:>4} {p['pid']:>8} {p['name'][:20]:<20} {p['role'][:8]:<8} {str(p['daemon']):<6} "
                      f"{p['state']:<8} {'-' if p['exitCode'] is None else p['exitCode']:>5} "
                      f"{'yes' if p['alive'] else 'no':<5}")
            print("\nOBJECTS")
            for o in snapshot["objects"] or [None]:
                if o is None:
                    print("  (none)")
                    break
                tc = f"'{o['typeCode']}'" if o["typeCode"] else ""
                print(f"{o['index']:>4} {o['name'][:24]:<24} {o['kind']:<16} {tc:<4} @{o['offset']:<10} {o['length']:>8} B")
                shown = {k: v for k, v in o.items() if k in ("value", "elements", "first", "locked", "ownerPid",
                                                                   "ownerAlive", "waiters", "ownerDied", "depth",
                                                                   "maxsize", "capacity")}
                if "lock" in o:
                    shown["lock"] = {k: v for k, v in o["lock"].items() if k in ("locked", "ownerPid", "ownerAlive")}
                if shown:
                    print("       " + " ".join(f"{k}={json.dumps(v)}" for k, v in shown.items()))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())

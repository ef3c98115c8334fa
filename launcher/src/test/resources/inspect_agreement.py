"""For InspectAgreementTest: compares `launcher inspect --json` with `scripts/inspect.py --json` on the same session
(mode "snapshots"), or inspect.py's layout constants with the Java descriptors' (mode "layouts"). Prints each
difference on a line of its own and exits 1, or prints "same" and exits 0.

    python3 inspect_agreement.py snapshots JAVA.json PYTHON.json
    python3 inspect_agreement.py layouts JAVA.json PYTHON.json
"""
import json
import sys


def differences(java, python, path, out):
    """Every place where the two decoded JSON values differ, as 'path: what'. Numbers must have the same JSON type
    (an integer is not 1.0), except that both may be written by different float printers (2.0 and 2.0)."""
    if isinstance(java, dict) and isinstance(python, dict):
        for key in list(java) + [k for k in python if k not in java]:
            if key not in python:
                out.append(f"{path}.{key}: only launcher inspect has it ({json.dumps(java[key])})")
            elif key not in java:
                out.append(f"{path}.{key}: only inspect.py has it ({json.dumps(python[key])})")
            elif key == "error":
                pass  # docs/inspect-json.md: both say there is an error; the wording is each tool's own
            else:
                differences(java[key], python[key], f"{path}.{key}", out)
    elif isinstance(java, list) and isinstance(python, list):
        if len(java) != len(python):
            out.append(f"{path}: launcher inspect has {len(java)} items, inspect.py {len(python)}")
        for i, (a, b) in enumerate(zip(java, python)):
            differences(a, b, f"{path}[{i}]", out)
    elif type(java) is not type(python) or java != python:
        out.append(f"{path}: launcher inspect {json.dumps(java)}, inspect.py {json.dumps(python)}")


def without_moments(snapshot):
    """Drops the fields docs/inspect-json.md allows to differ: ages measured at each tool's own moment."""
    snapshot["header"].pop("heartbeatAgeMs", None)
    for process in snapshot["processes"]:
        process.pop("heartbeatAgeMs", None)
    return snapshot


def layouts(java, python):
    out = []
    for cls, constants in python["layouts"].items():
        if cls not in java["classes"]:
            out.append(f"{cls}: inspect.py reads it; add it to InspectAgreementTest.DESCRIPTORS")
            continue
        for name, value in constants.items():
            if name not in java["classes"][cls]:
                out.append(f"{cls}.{name}: inspect.py has {json.dumps(value)}; Java has no such constant")
            elif java["classes"][cls][name] != value:
                out.append(f"{cls}.{name}: inspect.py has {json.dumps(value)}, Java {json.dumps(java['classes'][cls][name])}")
    if python["kinds"] != java["kinds"]:
        out.append(f"kinds: inspect.py has {json.dumps(python['kinds'])}, mp4j.session.ObjectKind {json.dumps(java['kinds'])}")
    return out


def main():
    mode, java_file, python_file = sys.argv[1:4]
    with open(java_file) as f:
        java = json.load(f)
    with open(python_file) as f:
        python = json.load(f)
    if mode == "layouts":
        out = layouts(java, python)
    else:
        out = []
        differences(without_moments(java), without_moments(python), "", out)
    for line in out:
        print(line)
    print("same" if not out else f"{len(out)} differences")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())

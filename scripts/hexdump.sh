#!/usr/bin/env bash
# Raw bytes of a session file, with the section boundaries (header, process table, directory, data) marked.
# Usage: scripts/hexdump.sh [SESSION_FILE]   (default: the newest live session)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/launcher" inspect --hex "$@"

#!/usr/bin/env sh
# Print the path of a Python 3.12+ interpreter, or explain and fail.
# Order: $PYTHON if given, then python3.14/3.13/3.12/python3 on PATH, then pyenv's versions.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
if [ -n "${PYTHON:-}" ]; then
  if ok "$PYTHON"; then command -v "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a Python 3.12 or newer." >&2; exit 1
fi
for candidate in python3.14 python3.13 python3.12 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && ok "$candidate"; then
    "$candidate" -c 'import sys; print(sys.executable)'; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for candidate in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
    if ok "$candidate/bin/python3"; then echo "$candidate/bin/python3"; exit 0; fi
  done
fi
echo "Convene needs Python 3.12 or newer and none was found." >&2
echo "Install one (for example 'pyenv install 3.13') or run: make PYTHON=/path/to/python3.13 ..." >&2
exit 1

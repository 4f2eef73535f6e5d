#!/usr/bin/env bash
# make test-stack: start the stack, run the journeys of tests/stack against it,
# stop it whatever their outcome (the logs stay in var/stack/logs; their tails
# are printed when something failed). Extra arguments go to pytest.
# One run at a time on this machine: a second one (or `make stack`) waits.
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p var
exec 9>var/stack.lock
if ! flock -w 3600 9; then
  echo "another stack run held var/stack.lock for an hour: giving up" >&2
  exit 1
fi
export STACK_LOCKED=1
python=.venv/bin/python
$python deploy/stack/stack.py up || exit 1
trap '$python deploy/stack/stack.py down' EXIT
status=0
.venv/bin/pytest -m stack tests/stack -p no:cacheprovider "$@" || status=$?
if [ "$status" -ne 0 ]; then
  $python deploy/stack/stack.py logs
fi
exit "$status"

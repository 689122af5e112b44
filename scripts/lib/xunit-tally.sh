# Sourced by scripts/test.sh and scripts/test-arm64.sh: reads xUnit v3 -xml result files into the caller's
# totals. The caller sets passed=0 failed=0 skipped=0 problems=0 before the first tally_run.

# The attribute NAME of the first <assembly> element of an xUnit XML result file (0 when absent).
attr() {
  local value
  value=$(grep -o '<assembly [^>]*>' "$2" | head -n 1 | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' || true)
  echo "${value:-0}"
}

# tally_run LABEL XML LOG STATUS START: adds one runner's results to the totals and prints its line.
# A run that wrote no results, ran no test, or exited non-zero without a failing test counts as a problem,
# so a broken runner can never pass silently.
tally_run() {
  local label=$1 xml=$2 log=$3 status=$4 start=$5 p f s e t
  if [ ! -s "$xml" ]; then
    echo "$label: the runner exited with $status and wrote no results; last lines of $log:"
    tail -n 40 "$log" | sed 's/^/    /'
    problems=$((problems + 1))
    return 0
  fi
  p=$(attr passed "$xml") f=$(attr failed "$xml") s=$(attr skipped "$xml") e=$(attr errors "$xml") t=$(attr total "$xml")
  f=$((f + e))
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  echo "$label: $p passed, $f failed, $s skipped ($((SECONDS - start)) s)"
  if [ "$f" -gt 0 ] || [ "$status" -ne 0 ]; then
    grep -E "\[FAIL\]" "$log" | head -n 50 | sed 's/^/    /' || true
    echo "    (details: $log)"
  fi
  if [ "$t" -eq 0 ]; then
    echo "$label: ran no tests"
    problems=$((problems + 1))
  elif [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "$label: the runner exited with $status although no test failed"
    problems=$((problems + 1))
  fi
}

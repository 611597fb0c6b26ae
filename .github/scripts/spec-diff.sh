#!/usr/bin/env bash
# The report step of the spec-diff workflow, kept here so that a test can
# run it: writes spec-diff.md (the pull-request comment), spec-diff.json,
# and `result=clean|breaking|error` to $GITHUB_OUTPUT. A diff that fails
# (exit 2) is an error, reported as such, never as "breaking".
# Arguments go to `cargo xtask diff`, for example `--base REV`.
set -u
xtask=${XTASK:-cargo xtask}
output=${GITHUB_OUTPUT:-/dev/null}

if ! $xtask diff "$@" --format markdown > spec-diff.md 2> spec-diff.err; then
  {
    echo "## API changes"
    echo
    echo "⚠️ **The spec diff failed**, so what this change does to the API is unknown:"
    echo
    echo '```text'
    cat spec-diff.err
    echo '```'
  } > spec-diff.md
  echo "result=error" >> "$output"
  exit 0
fi

$xtask diff "$@" --format json --fail-on breaking > spec-diff.json 2>> spec-diff.err
case $? in
  0) result=clean ;;
  1) result=breaking ;;
  *) result=error ;;
esac
echo "result=$result" >> "$output"

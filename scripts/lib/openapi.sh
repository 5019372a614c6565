# shellcheck shell=bash
# Shared by scripts/check-openapi and scripts/generate-openapi. Source, don't execute.
# Paths are relative to the repository root; the env overrides exist for testing the scripts.

OPENAPI_SPEC=${OPENAPI_SPEC:-openapi.yaml}
OPENAPI_CONFIG=${OPENAPI_CONFIG:-openapi-generator-config.yaml}
OPENAPI_GENERATED_DIR=${OPENAPI_GENERATED_DIR:-Sources/APIContract}

# Every file name swift-openapi-generator may write (1.14 splits Types.swift into several).
# shellcheck disable=SC2034 # used by the scripts that source this file
OPENAPI_RESERVED_FILES=(
  Types.swift Types+Components.swift Types+Operations.swift Types+Components+Schemas.swift
  Types+Components+Parameters.swift Types+Components+RequestBodies.swift
  Types+Components+Responses.swift Types+Components+Headers.swift Client.swift Server.swift
)

# generate_openapi_into DIR: runs swift-openapi-generator (a package dependency) into DIR.
# Modes and access modifier come from the config file. Output is shown only on failure.
generate_openapi_into() {
  local out=$1 log
  local f
  for f in "$OPENAPI_SPEC" "$OPENAPI_CONFIG"; do
    if [[ ! -f $f ]]; then
      echo "openapi: $f not found (run from the repository root)" >&2
      return 1
    fi
  done
  log=$(mktemp "${TMPDIR:-/tmp}/curepath-openapi-log.XXXXXX")
  if ! swift run swift-openapi-generator generate \
    --config "$OPENAPI_CONFIG" \
    --output-directory "$out" \
    "$OPENAPI_SPEC" >"$log" 2>&1; then
    echo "openapi: swift-openapi-generator failed:" >&2
    # Leave out build progress and the generator's echo of its configuration.
    grep -v -e '^\[[0-9]*/[0-9]*\]' -e '^- ' -e '^Swift OpenAPI Generator is running' "$log" | tail -n 60 >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  if ! compgen -G "$out/*.swift" >/dev/null; then
    echo "openapi: the generator wrote no Swift files into $out" >&2
    return 1
  fi
}

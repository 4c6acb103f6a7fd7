#!/usr/bin/env bash
# Regenerates the initial migration of each provider from the EF model.
# Only for V0001 before the first release; afterwards add V0002__what.sql by hand
# (`brightline db model-sql --provider P` shows the model's schema to diff against).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Brightline -v q -nologo >/dev/null
dll=$(ls -d ${BRIGHTLINE_ARTIFACTS:-src/Brightline/bin}/ 2>/dev/null >/dev/null; find ${BRIGHTLINE_ARTIFACTS:-src/Brightline/bin} -path '*brightline*' -name brightline.dll | head -1)
for p in sqlite postgres; do
  dir=src/Brightline.Data/Migrations/$([ $p = sqlite ] && echo Sqlite || echo Postgres)
  mkdir -p "$dir"
  { echo "-- V0001: initial schema ($p). Generated from the EF model by scripts/regen-migrations.sh."; dotnet "$dll" db model-sql --provider $p; } > "$dir/V0001__initial.sql"
  echo "wrote $dir/V0001__initial.sql"
done

#!/usr/bin/env bash
# Prints the schema the EF model expects, per provider, into out/model-<provider>.sql, so a developer can
# write the next migration (src/Brightline.Data/Migrations/<Provider>/V000N__what.sql) from the difference.
# A migration that is in git is never rewritten: databases in the field were built from it, and the
# migrator refuses to start when an applied script has changed.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Brightline -v q -nologo >/dev/null
dll=$(find "${BRIGHTLINE_ARTIFACTS:-src/Brightline/bin}" -name brightline.dll -path '*rightline*' | head -1)
mkdir -p out
for p in sqlite postgres; do
  dotnet "$dll" db model-sql --provider $p > "out/model-$p.sql"
  echo "wrote out/model-$p.sql"
done
echo "Compare with the applied migrations and add V000N__name.sql for both providers;"
echo "tests/Brightline.Tests/Data/MigrationTests.cs proves the result matches the model."

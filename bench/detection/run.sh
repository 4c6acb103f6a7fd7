#!/usr/bin/env bash
# Detection quality (issue 16 part 6): recall per evasion class, category and language, false
# positives per clean corpus, and throughput — Brightline, e2guardian's phrase lists and the
# obscenity npm package side by side on the same lines, in one run.
#
#   harmful  the evasion corpus generated from PhraseLibrary.BuiltIn() (PER_CLASS lines per class,
#            seeded by SEED; EvasionGenerator.cs) + the hand-written files corpus/harmful-*.tsv
#   clean    every word of /usr/share/dict/british-english, corpus/clean-*.tsv (ordinary school
#            sentences, innocent uses of listed phrases, lessons about safeguarding topics, pupils'
#            chat) and DOC_LINES prose lines sampled (SEED) from /usr/share/doc
#   runners  brightline  PhraseMatcher.BuiltIn; caught = a positive hit (right category reported apart)
#            e2guardian  /etc/e2guardian/lists/phraselists via E2GuardianImporter.ImportTree, MatchMode.Raw
#            obscenity   node obscenity-runner.js (englishDataset + englishRecommendedTransformers)
# Knobs: SEED, PER_CLASS, DOC_LINES. Writes bench/results/detection/*.tsv and detection.md; prints
# the load average before and after. Bounded: about 3 minutes on the 2-core dev machine.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_RESULTS:-$ROOT/bench/results}/detection
ART=${BRIGHTLINE_ARTIFACTS:-/tmp/art-bench}
export BRIGHTLINE_ARTIFACTS=$ART DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
SEED=${SEED:-20261203}
PER_CLASS=${PER_CLASS:-150}
DOC_LINES=${DOC_LINES:-3000}
DIR=$ROOT/bench/detection
mkdir -p "$OUT"

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
for f in /usr/share/dict/british-english /etc/e2guardian/lists/phraselists; do
  [[ -e $f ]] || { echo "missing $f (apt-get install -y wbritish e2guardian)" >&2; exit 1; }
done

# obscenity, pinned by package-lock.json
if [[ ! -d $DIR/node_modules/obscenity ]]; then
  (cd "$DIR" && npm ci --no-audit --no-fund >/dev/null)
fi

dotnet build "$ROOT/bench/Brightline.DetectionBench/Brightline.DetectionBench.csproj" -c Release -nologo -v q >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load.txt"
dotnet "$ART/bin/Brightline.DetectionBench/release/Brightline.DetectionBench.dll" "$DIR" "$OUT" "$SEED" "$PER_CLASS" "$DOC_LINES"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"
echo "results: $OUT"

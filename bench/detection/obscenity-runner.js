// The obscenity runner (issue 16 part 6): one line in -> "1" (matched) or "0" per line out, then a
// final "#chars <n> <seconds>" line with the time spent matching only (not reading or startup).
// Uses the package's recommended setup: englishDataset + englishRecommendedTransformers.
'use strict';
const { RegExpMatcher, englishDataset, englishRecommendedTransformers } = require('obscenity');
const readline = require('readline');

const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const lines = [];
readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', (line) => lines.push(line.replace(/\\n/g, '\n')))
  .on('close', () => {
    const out = new Array(lines.length);
    let chars = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < lines.length; i++) {
      out[i] = matcher.hasMatch(lines[i]) ? '1' : '0';
      chars += lines[i].length;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(out.join('\n') + '\n#chars ' + chars + ' ' + seconds + '\n');
  });

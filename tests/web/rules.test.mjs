// The page's rules (resources/web/rules.js) against the cases shared with the
// server's (shared/validation.cpp): the same verdict and sentence for each.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChecks } from '../lib/check.mjs';
import { roomProblem, textProblem, usernameProblem } from '../../resources/web/rules.js';

const here = dirname(fileURLToPath(import.meta.url));
const { cases } = JSON.parse(readFileSync(join(here, '../shared/validation-vectors.json'), 'utf8'));
const check = createChecks('rules');
const rules = { username: usernameProblem, room: roomProblem, text: textProblem };

check.section(`${cases.length} cases shared with the server`);
for (const c of cases) {
  const value = c.units ? String.fromCharCode(...c.units) : c.value;
  check.equal(rules[c.field](value), c.expect, `${c.field}: ${c.note}`);
}
check.finish();

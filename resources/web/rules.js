// The server's rules for names, rooms and text (docs/protocol.md), checked in the
// page before anything is sent.
export const defaultLimits = { maxTextLength: 4000, maxUsernameLength: 32, maxRoomLength: 64 };

// These mirror shared/validation.cpp rule for rule and sentence for sentence;
// tests/shared/validation-vectors.json holds the cases both are tested against
// (tst_validation in C++, tests/web/rules.test.mjs here).

// What QString::trimmed() removes: Unicode separators, \t \n \v \f \r and U+0085.
const space = /[\p{Z}\t\n\v\f\r\u0085]/u;
const trimmed = (s) => s.replace(/^[\p{Z}\t\n\v\f\r\u0085]+|[\p{Z}\t\n\v\f\r\u0085]+$/gu, '');
// Never in names: control, format (bidi overrides, zero-width joiners), line and
// paragraph separators, unassigned code points.
const forbidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cn}]/u;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// In messages only C0 and C1 controls are refused, except tab, line feed and return.
const textControl = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export function usernameProblem(name, limits = defaultLimits) {
  const name2 = trimmed(name);
  if (!name2) return 'A name must not be empty.';
  if (name2.length > limits.maxUsernameLength) return `A name can be at most ${limits.maxUsernameLength} characters long.`;
  if (loneSurrogate.test(name2)) return 'A name must be valid text.';
  if (forbidden.test(name2)) return 'A name must not contain control characters.';
  return '';
}

export function roomProblem(room, limits = defaultLimits) {
  if (!room) return 'A room name must not be empty.';
  if (room.length > limits.maxRoomLength) return `A room name can be at most ${limits.maxRoomLength} characters long.`;
  if (loneSurrogate.test(room)) return 'A room name must be valid text.';
  for (const c of room) { // by code point, as the server does
    if (space.test(c)) return 'A room name must not contain spaces.';
    if (forbidden.test(c)) return 'A room name must not contain control characters.';
  }
  return '';
}

export function textProblem(text, limits = defaultLimits) {
  if (!trimmed(text)) return 'A message must not be empty.';
  if (text.length > limits.maxTextLength) return `A message can be at most ${limits.maxTextLength} characters long.`;
  if (loneSurrogate.test(text)) return 'A message must be valid text.';
  if (textControl.test(text)) return 'A message must not contain control characters.';
  return '';
}

// "@name" or the bare name as a whole word, ignoring case.
export function mentions(text, name) {
  if (!name) return false;
  const lower = text.toLowerCase();
  const needle = name.toLowerCase();
  const word = /[\p{L}\p{N}_]/u;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    const before = at === 0 ? '' : lower[at - 1];
    const after = lower[at + needle.length] ?? '';
    if (!word.test(before) && !word.test(after)) return true;
  }
  return false;
}

// The server's rules for names, rooms and text (docs/protocol.md), checked in the
// page before anything is sent.
export const defaultLimits = { maxTextLength: 4000, maxUsernameLength: 32, maxRoomLength: 64 };

// Control, format (bidi overrides, zero-width joiners), line and paragraph separators.
const forbidden = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function usernameProblem(name, limits = defaultLimits) {
  const trimmed = name.trim();
  if (!trimmed) return 'A name must not be empty.';
  if (trimmed.length > limits.maxUsernameLength) return `A name can be at most ${limits.maxUsernameLength} characters long.`;
  if (loneSurrogate.test(trimmed)) return 'A name must be valid text.';
  if (forbidden.test(trimmed)) return 'A name must not contain control characters.';
  return '';
}

export function roomProblem(room, limits = defaultLimits) {
  if (!room) return 'A room name must not be empty.';
  if (room.length > limits.maxRoomLength) return `A room name can be at most ${limits.maxRoomLength} characters long.`;
  if (/\s/u.test(room)) return 'A room name must not contain spaces.';
  if (forbidden.test(room) || loneSurrogate.test(room)) return 'A room name must not contain control characters.';
  return '';
}

export function textProblem(text, limits = defaultLimits) {
  if (!text.trim()) return 'A message must not be empty.';
  if (text.length > limits.maxTextLength) return `A message can be at most ${limits.maxTextLength} characters long.`;
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return 'A message must not contain control characters.';
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

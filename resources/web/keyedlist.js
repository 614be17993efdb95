// Keyed incremental rendering of a list element: each entry has a stable key
// and a version; a node is created only for a new key or a new version, kept
// otherwise, and moved only if its place changed. Scroll position, selection
// and focus inside unchanged rows survive a render.
export class KeyedList {
  constructor(parent) {
    this.parent = parent;
    this.nodes = new Map(); // key -> { node, version }
  }

  // entries: [{ key, version, create: () => Node }] in display order.
  render(entries) {
    const seen = new Set();
    let cursor = this.parent.firstChild;
    for (const entry of entries) {
      seen.add(entry.key);
      let known = this.nodes.get(entry.key);
      if (!known || known.version !== entry.version) {
        if (known) {
          if (known.node === cursor) cursor = cursor.nextSibling;
          known.node.remove();
        }
        known = { node: entry.create(), version: entry.version };
        this.nodes.set(entry.key, known);
      }
      if (known.node !== cursor) this.parent.insertBefore(known.node, cursor);
      else cursor = cursor.nextSibling;
    }
    for (const [key, known] of this.nodes) {
      if (!seen.has(key)) { known.node.remove(); this.nodes.delete(key); }
    }
  }

  clear() { this.render([]); }
}

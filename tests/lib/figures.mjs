// The figures a delivery scenario prints (issue 15): what was sent and
// acknowledged, what the store holds, and what each client got.
//   acked: [{ clientId, id, ms }]  stored: ['clientId:id', ...] (the scenario's posts)
//   clients: { name: [ids] }  maxId, roomRows: the room's highest id and row count
export function deliveryFigures(label, { sent, acked, stored, clients, maxId, roomRows, refusedMs = 0 }) {
  const storedIds = new Map(stored.map((s) => { const [c, id] = s.split(':'); return [c, Number(id)]; }));
  const lost = acked.filter(({ clientId, id }) => storedIds.get(clientId) !== id).length;
  const duplicates = stored.length - new Set(stored.map((s) => s.split(':')[0])).size;
  const ms = acked.map((a) => a.ms).filter((x) => x !== undefined).sort((p, q) => p - q);
  const pct = (p) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1) : '-');
  const missing = Object.entries(clients).map(([name, ids]) => {
    const have = new Set(ids);
    let n = 0;
    for (let id = 1; id <= maxId; id += 1) if (!have.has(id)) n += 1;
    return `${name} ${n}`;
  });
  const figures = {
    sent, acknowledged: acked.length, stored: stored.length, acknowledgedButLost: lost, duplicates,
    idGaps: maxId - roomRows, missingPerClient: missing.join(', '),
    ackP50ms: pct(0.5), ackP99ms: pct(0.99), refusedMs,
  };
  console.log(`  figures (${label}): ${Object.entries(figures).map(([k, v]) => `${k} ${v}`).join('; ')}`);
  return { lost, duplicates, gaps: maxId - roomRows };
}
